import Foundation
import Testing

/// The App Store privacy manifest shipped with the `AutomagikTelemetry` product: a valid property list
/// with only the keys and values Apple documents, and a declared reason for every required-reason API
/// the SDK's sources call (checked against the sources, so a new call without a declaration fails here).
@Suite struct PrivacyManifestTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    private static let manifestPath = root.appendingPathComponent("Adapters/AutomagikTelemetry/PrivacyInfo.xcprivacy").path

    /// Apple's documented values ("Describing data use in privacy manifests", "Describing use of
    /// required reason API").
    private static let dataTypes: Set<String> = [
        "NSPrivacyCollectedDataTypeName", "NSPrivacyCollectedDataTypeEmailAddress", "NSPrivacyCollectedDataTypePhoneNumber",
        "NSPrivacyCollectedDataTypePhysicalAddress", "NSPrivacyCollectedDataTypeOtherUserContactInfo",
        "NSPrivacyCollectedDataTypeHealth", "NSPrivacyCollectedDataTypeFitness", "NSPrivacyCollectedDataTypePaymentInfo",
        "NSPrivacyCollectedDataTypeCreditInfo", "NSPrivacyCollectedDataTypeOtherFinancialInfo",
        "NSPrivacyCollectedDataTypePreciseLocation", "NSPrivacyCollectedDataTypeCoarseLocation",
        "NSPrivacyCollectedDataTypeSensitiveInfo", "NSPrivacyCollectedDataTypeContacts", "NSPrivacyCollectedDataTypeEmailsOrTextMessages",
        "NSPrivacyCollectedDataTypePhotosorVideos", "NSPrivacyCollectedDataTypeAudioData", "NSPrivacyCollectedDataTypeGameplayContent",
        "NSPrivacyCollectedDataTypeCustomerSupport", "NSPrivacyCollectedDataTypeOtherUserContent",
        "NSPrivacyCollectedDataTypeBrowsingHistory", "NSPrivacyCollectedDataTypeSearchHistory", "NSPrivacyCollectedDataTypeUserID",
        "NSPrivacyCollectedDataTypeDeviceID", "NSPrivacyCollectedDataTypePurchaseHistory",
        "NSPrivacyCollectedDataTypeProductInteraction", "NSPrivacyCollectedDataTypeAdvertisingData",
        "NSPrivacyCollectedDataTypeOtherUsageData", "NSPrivacyCollectedDataTypeCrashData", "NSPrivacyCollectedDataTypePerformanceData",
        "NSPrivacyCollectedDataTypeOtherDiagnosticData", "NSPrivacyCollectedDataTypeEnvironmentScanning",
        "NSPrivacyCollectedDataTypeHands", "NSPrivacyCollectedDataTypeHead", "NSPrivacyCollectedDataTypeOtherDataTypes",
    ]
    private static let purposes: Set<String> = [
        "NSPrivacyCollectedDataTypePurposeThirdPartyAdvertising", "NSPrivacyCollectedDataTypePurposeDeveloperAdvertising",
        "NSPrivacyCollectedDataTypePurposeAnalytics", "NSPrivacyCollectedDataTypePurposeProductPersonalization",
        "NSPrivacyCollectedDataTypePurposeAppFunctionality", "NSPrivacyCollectedDataTypePurposeOther",
    ]
    private static let reasons: [String: Set<String>] = [
        "NSPrivacyAccessedAPICategoryFileTimestamp": ["DDA9.1", "C617.1", "3B52.1", "0A2A.1"],
        "NSPrivacyAccessedAPICategorySystemBootTime": ["35F9.1", "8FFB.1", "3D61.1"],
        "NSPrivacyAccessedAPICategoryDiskSpace": ["85F4.1", "E174.1", "7D9E.1", "B728.1"],
        "NSPrivacyAccessedAPICategoryActiveKeyboards": ["3EC4.1", "54BD.1"],
        "NSPrivacyAccessedAPICategoryUserDefaults": ["CA92.1", "1C8F.1", "C56D.1", "AC6B.1"],
    ]

    /// Source patterns of each required-reason category (Apple's API lists, plus the C calls behind them).
    private static let apiPatterns: [String: [String]] = [
        "NSPrivacyAccessedAPICategoryFileTimestamp": [
            "fstat(", "fstatat(", "lstat(", " stat(", "getattrlist", "creationDate", "modificationDate", "contentModificationDateKey",
        ],
        "NSPrivacyAccessedAPICategorySystemBootTime": ["systemUptime", "mach_absolute_time", "DispatchTime", "ContinuousClock", "Task.sleep"],
        "NSPrivacyAccessedAPICategoryDiskSpace": ["statfs", "statvfs", "volumeAvailableCapacity", "systemFreeSize", "systemSize"],
        "NSPrivacyAccessedAPICategoryActiveKeyboards": ["activeInputModes"],
        "NSPrivacyAccessedAPICategoryUserDefaults": ["UserDefaults"],
    ]

    private func manifest() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.manifestPath))
        return try #require(try PropertyListSerialization.propertyList(from: data, format: nil) as? [String: Any])
    }

    @Test func isAValidPropertyListWithOnlyDocumentedKeys() throws {
        let plist = try manifest()
        #expect(
            Set(plist.keys)
                == ["NSPrivacyTracking", "NSPrivacyTrackingDomains", "NSPrivacyCollectedDataTypes", "NSPrivacyAccessedAPITypes"])
        #expect(plist["NSPrivacyTracking"] as? Bool == false)
        #expect((plist["NSPrivacyTrackingDomains"] as? [Any])?.isEmpty == true)
    }

    @Test func declaresWhatIsCollectedAsNotLinkedAndNotTracking() throws {
        let collected = try #require(try manifest()["NSPrivacyCollectedDataTypes"] as? [[String: Any]])
        let types = collected.compactMap { $0["NSPrivacyCollectedDataType"] as? String }
        // Events, metrics, errors, and the random installation id every request carries.
        #expect(
            Set(types)
                == [
                    "NSPrivacyCollectedDataTypeProductInteraction", "NSPrivacyCollectedDataTypePerformanceData",
                    "NSPrivacyCollectedDataTypeOtherDiagnosticData", "NSPrivacyCollectedDataTypeDeviceID",
                ])
        for entry in collected {
            #expect(
                Set(entry.keys)
                    == [
                        "NSPrivacyCollectedDataType", "NSPrivacyCollectedDataTypeLinked", "NSPrivacyCollectedDataTypeTracking",
                        "NSPrivacyCollectedDataTypePurposes",
                    ])
            #expect(Self.dataTypes.contains(entry["NSPrivacyCollectedDataType"] as? String ?? ""))
            #expect(entry["NSPrivacyCollectedDataTypeLinked"] as? Bool == false)
            #expect(entry["NSPrivacyCollectedDataTypeTracking"] as? Bool == false)
            let purposes = try #require(entry["NSPrivacyCollectedDataTypePurposes"] as? [String])
            #expect(!purposes.isEmpty && Set(purposes).isSubset(of: Self.purposes))
        }
    }

    @Test func everyRequiredReasonAPITheSourcesCallIsDeclaredWithADocumentedReason() throws {
        let accessed = try #require(try manifest()["NSPrivacyAccessedAPITypes"] as? [[String: Any]])
        var declared: [String: [String]] = [:]
        for entry in accessed {
            let category = try #require(entry["NSPrivacyAccessedAPIType"] as? String)
            let reasons = try #require(entry["NSPrivacyAccessedAPITypeReasons"] as? [String])
            #expect(Set(entry.keys) == ["NSPrivacyAccessedAPIType", "NSPrivacyAccessedAPITypeReasons"])
            #expect(Set(reasons).isSubset(of: Self.reasons[category] ?? []), "\(category): \(reasons)")
            #expect(!reasons.isEmpty)
            declared[category] = reasons
        }
        let used = try usedCategories()
        #expect(Set(declared.keys) == used, "declared categories must be exactly the ones the shipped sources use")
    }

    /// The required-reason categories the shipped sources (Modules, Adapters; not tests, benchmarks
    /// or the CLI, which are not linked into apps) call, with a comment line skipped.
    private func usedCategories() throws -> Set<String> {
        var used: Set<String> = []
        let files = FileManager.default
        for folder in ["Modules", "Adapters"] {
            let base = Self.root.appendingPathComponent(folder)
            let enumerator = try #require(files.enumerator(atPath: base.path))
            for case let relative as String in enumerator where relative.hasSuffix(".swift") {
                guard !relative.hasPrefix("AutomagikTelemetryCLI/"), !relative.hasPrefix("AutomagikTelemetryTestKit/") else { continue }
                let text = try String(contentsOf: base.appendingPathComponent(relative), encoding: .utf8)
                let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
                    .joined(separator: "\n")
                for (category, patterns) in Self.apiPatterns where patterns.contains(where: { code.contains($0) }) {
                    used.insert(category)
                }
            }
        }
        return used
    }
}
