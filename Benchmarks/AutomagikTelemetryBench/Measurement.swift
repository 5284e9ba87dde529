#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Monotonic nanoseconds (`CLOCK_MONOTONIC`), cheap enough to read around every call.
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
}

/// Percentiles of per-call latencies.
struct LatencySummary: Encodable {
    let p50: Double
    let p99: Double
    let p999: Double
    let max: Double
    let mean: Double

    init(_ samples: [UInt64]) {
        let sorted = samples.sorted()
        func percentile(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))])
        }
        p50 = percentile(0.50)
        p99 = percentile(0.99)
        p999 = percentile(0.999)
        max = Double(sorted.last ?? 0)
        mean = sorted.isEmpty ? 0 : Double(sorted.reduce(0, +)) / Double(sorted.count)
    }
}

/// Peak resident set size of this process (`VmHWM`), in bytes.
func peakResidentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let digits = line.filter(\.isNumber)
        return (Int(digits) ?? 0) * 1024
    }
    return 0
}

/// The calling thread's context switches so far: `voluntary` counts waits (a lock, a futex, I/O),
/// `involuntary` counts preemptions by the scheduler. Linux only (`/proc/thread-self/status`); zeros
/// elsewhere.
func threadContextSwitches() -> (voluntary: Int, involuntary: Int) {
    guard let status = try? String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8) else { return (0, 0) }
    var result = (voluntary: 0, involuntary: 0)
    for line in status.split(separator: "\n") {
        if line.hasPrefix("voluntary_ctxt_switches:") { result.voluntary = Int(line.filter(\.isNumber)) ?? 0 }
        if line.hasPrefix("nonvoluntary_ctxt_switches:") { result.involuntary = Int(line.filter(\.isNumber)) ?? 0 }
    }
    return result
}

/// Current resident set size (`VmRSS`), in bytes.
func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return (Int(line.filter(\.isNumber)) ?? 0) * 1024
    }
    return 0
}

/// One workload's result: printed as a JSON object on its own line, and as a table row.
struct BenchResult: Encodable {
    let name: String
    let n: Int
    var figures: [String: Double]
    var notes: [String: String] = [:]
    let environment: [String: String] = BenchEnvironment.current
}

enum BenchEnvironment {
    static let current: [String: String] = {
        var name = utsname()
        uname(&name)
        let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        return [
            "cpus": String(ProcessInfo.processInfo.activeProcessorCount),
            "memory_gib": String(ProcessInfo.processInfo.physicalMemory / 1_073_741_824),
            "arch": machine, "kernel": release,
            "build": {
                #if DEBUG
                "debug"
                #else
                "release"
                #endif
            }(),
        ]
    }()
}
