import AutomagikTelemetryTestKit
import TelemetryClickHouse

/// A handler that answers the exporter's schema check as a server holding `columns` and `versions`
/// would (by default: this SDK's current tables, versions recorded; `versions: ""` for no version
/// table), and every other request with `otherwise`.
func answeringSchemaChecks(
    _ schema: ClickHouseSchema, columns: [String: [String]]? = nil, versions: String? = nil,
    otherwise: @escaping @Sendable (LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Behaviour
) -> @Sendable (LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Behaviour {
    let tables =
        columns
        ?? Dictionary(
            uniqueKeysWithValues: ClickHouseSchema.Table.allCases.map {
                (schema.name(of: $0), schema.reportedColumnNames(of: $0))
            })
    let columnsAnswer = tables.sorted { $0.key < $1.key }.flatMap { table, names in names.map { "\(table)\t\($0)\n" } }.joined()
    let versionsAnswer = versions ?? ClickHouseSchema.Table.allCases.map { "\(schema.name(of: $0))\t\(ClickHouseSchema.version)\n" }.joined()
    return { request in
        let sql = String(decoding: request.body, as: UTF8.self)
        if sql == schema.columnsQuery { return .respond(status: 200, body: Array(columnsAnswer.utf8)) }
        if sql == schema.versionsQuery {
            // An empty `versions` stands for a server without the version table.
            return versions == ""
                ? .respond(status: 404, body: Array("Code: 60. DB::Exception: Table db.automagik_schema doesn't exist".utf8))
                : .respond(status: 200, body: Array(versionsAnswer.utf8))
        }
        return otherwise(request)
    }
}
