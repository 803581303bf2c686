import CarbonAccounting
import CarbonKit
import CityProgramme
import Foundation

/// The city's settings, kept as one document and changed one key at a time, each change
/// audited with the value before and after.
public struct CitySettingsRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    public func current() throws -> CitySettings { try database.read { db in try Self.current(db) } }

    static func current(_ db: any SQLConnection) throws -> CitySettings {
        guard let document = try String.fetchOne(db, sql: "SELECT document FROM city_settings WHERE id = 1"),
              let settings = try? JSONDecoder().decode(CitySettings.self, from: Data(document.utf8)) else { return .standard }
        return settings
    }

    /// What this workspace's settings may name: its GWP sets, factor sets, grid series, fuels.
    public func choices() throws -> CitySettings.Choices {
        let library = try database.read { try FactorSetRepository.library($0) }
        return CitySettings.Choices(gwpSets: GasCatalog.standard.sets.keys.sorted(), factorSets: library.sets.keys.filter { !$0.hasPrefix("grid:") }.sorted(),
                                    gridSeries: library.gridSeries.keys.sorted(), fuels: library.fuels.keys.sorted())
    }

    /// Sets each `(key, value)` in order, all or none; returns the settings as saved.
    @discardableResult
    public func set(_ changes: [(key: String, value: String)], actor: String) throws -> CitySettings {
        let choices = try choices()
        return try database.write { db in
            let before = try Self.current(db)
            var settings = before
            var issues: [InputIssue] = []
            for (key, value) in changes {
                do throws(InputIssue) { try settings.set(key, value, choices: choices) } catch { issues.append(error) }
            }
            if !issues.isEmpty { throw InputErrors(issues) }
            guard settings != before else { return settings }
            try Self.save(db, settings)
            try MonitoringState.countWrite(db)
            try AuditTrail.append(db, actor: actor, action: "update", entity: "city_settings", entityID: "1",
                                  before: Self.json(before), after: Self.json(settings))
            return settings
        }
    }

    static func save(_ db: any SQLConnection, _ settings: CitySettings) throws {
        try db.execute(sql: """
            INSERT INTO city_settings (id, document) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET document = excluded.document
            """, arguments: [Self.document(settings)])
    }

    static func document(_ settings: CitySettings) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(settings), as: UTF8.self)
    }

    static func json(_ settings: CitySettings) -> JSONValue {
        .object(settings.lines.map { ($0.key, .string($0.value)) })
    }
}
