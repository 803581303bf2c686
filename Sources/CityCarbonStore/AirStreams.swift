/// Schema v27: each sensor's parameter as a stream (SensorThings' Datastream) with the first
/// and last hour it has, kept as hours are loaded.
///
/// A sensor's parameters and time span would otherwise be read from `air_hour` itself, a scan
/// of every hour the network holds (87.6 M rows for 10,000 sensors over a year) to list them.
enum AirStreams {
    static let version = "v27: the air network's streams — each sensor's parameters with their first and last hour"

    static func statements(_ dialect: SQLDialect) -> [String] {
        let big = dialect == .sqlite ? "INTEGER" : "BIGINT"
        return [
            """
            CREATE TABLE air_stream (
              sensor TEXT NOT NULL, parameter TEXT NOT NULL, first_hour \(big) NOT NULL, last_hour \(big) NOT NULL, PRIMARY KEY (sensor, parameter))
            """,
            """
            INSERT INTO air_stream (sensor, parameter, first_hour, last_hour)
            SELECT sensor, parameter, MIN(hour), MAX(hour) FROM air_hour GROUP BY sensor, parameter
            """,
        ]
    }

    /// Widens the streams' spans to cover `hours` (sensor, parameter, hour), adding new streams.
    static func cover(_ hours: [(sensor: String, parameter: String, hour: Int64)], _ db: any SQLConnection) throws {
        var spans: [String: (sensor: String, parameter: String, first: Int64, last: Int64)] = [:]
        for hour in hours {
            let key = hour.sensor + "\u{0}" + hour.parameter
            if let span = spans[key] {
                spans[key] = (span.sensor, span.parameter, min(span.first, hour.hour), max(span.last, hour.hour))
            } else {
                spans[key] = (hour.sensor, hour.parameter, hour.hour, hour.hour)
            }
        }
        let rows = spans.values.sorted { ($0.sensor, $0.parameter) < ($1.sensor, $1.parameter) }
        guard !rows.isEmpty else { return }
        try db.bulkInsert(into: "air_stream", columns: [
            SQLColumn("sensor", .text(rows.map(\.sensor))), SQLColumn("parameter", .text(rows.map(\.parameter))),
            SQLColumn("first_hour", .integer(rows.map(\.first))), SQLColumn("last_hour", .integer(rows.map(\.last))),
        ], onConflict: """
            (sensor, parameter) DO UPDATE SET first_hour = CASE WHEN excluded.first_hour < air_stream.first_hour THEN excluded.first_hour ELSE air_stream.first_hour END,
              last_hour = CASE WHEN excluded.last_hour > air_stream.last_hour THEN excluded.last_hour ELSE air_stream.last_hour END
            """)
    }
}
