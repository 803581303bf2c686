import CarbonKit
import CityProgramme
import ClimatePlans
import Foundation

/// What a plan import did.
public struct PlanImportSummary: Sendable {
    public var plan: String
    public var categories: Int
    public var added: [String]
    public var updated: [String]
}

/// Climate plans and their actions. Each is kept as a JSON document of its domain type, so
/// the model can grow without a migration per field; every change is audited with the
/// action's state before and after.
public struct PlanRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Loads a plan spreadsheet into plan `identifier` (created with `name` if new) in one
    /// transaction: categories merge by identifier, actions update in place or are added.
    public func importSheet(_ bytes: [UInt8], file: String, plan identifier: String, name: Multilingual? = nil,
                            categoryType: String = "area", today: Day?, actor: String) throws -> PlanImportSummary {
        let text = try ReferenceTable.text(of: bytes, file: file)
        return try database.write { db in
            let known = Set(try Self.plan(db, identifier: identifier)?.categoryTypes.flatMap { $0.categories.map(\.identifier) } ?? [])
            let sheet = try PlanSheet.parse(text, file: file, knownCategories: known)
            let districts = HealthCoBenefits.districts(of: try JurisdictionRepository.tree(db))
            let misplaced = sheet.rows.compactMap { row -> InputIssue? in
                guard let effect = row.airEffect?.value, var issue = HealthCoBenefits.districtProblem(effect, districts: districts) else { return nil }
                issue.location = InputLocation(file: file, row: row.line, field: "air_district")
                return issue
            }
            if !misplaced.isEmpty { throw InputErrors(misplaced) }
            let stored = try Self.plan(db, identifier: identifier)
            var plan = stored ?? Plan(identifier: identifier, name: name ?? Multilingual(["en": identifier]), primaryLanguage: "en")
            if let name { plan.name = name }
            var type = plan.categoryTypes.first { $0.identifier == categoryType }
                ?? CategoryType(identifier: categoryType, name: Multilingual(["en": categoryType.capitalized]))
            for category in sheet.categories {
                if let i = type.categories.firstIndex(where: { $0.identifier == category.identifier }) {
                    type.categories[i] = category
                } else {
                    type.categories.append(category)
                }
            }
            plan.categoryTypes.removeAll { $0.identifier == categoryType }
            if !type.categories.isEmpty { plan.categoryTypes.append(type) }
            let planID = try Self.save(db, plan: plan)
            if plan != stored {
                try AuditTrail.append(db, actor: actor, action: stored == nil ? "create" : "update", entity: "plan", entityID: identifier,
                                      before: try stored.map(Self.json), after: try Self.json(plan))
            }
            let existing = try Self.actions(db, planID: planID)
            let (actions, added, updated) = try sheet.apply(to: existing, on: today)
            let previous = Dictionary(uniqueKeysWithValues: existing.map { ($0.identifier, $0) })
            let now = CityCarbonDatabase.now()
            for (position, action) in actions.enumerated() where added.contains(action.identifier) || updated.contains(action.identifier) {
                let document = String(decoding: try Self.encoder.encode(action), as: UTF8.self)
                try db.execute(sql: """
                    INSERT INTO plan_action (plan_id, identifier, position, document, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (plan_id, identifier) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
                    """, arguments: [planID, action.identifier, position, document, now])
                try AuditTrail.append(db, actor: actor, action: previous[action.identifier] == nil ? "create" : "update", entity: "plan_action",
                                      entityID: "\(identifier)/\(action.identifier)", before: try previous[action.identifier].map(Self.json),
                                      after: JSONValue(parsing: document))
            }
            return PlanImportSummary(plan: identifier, categories: type.categories.count, added: added, updated: updated)
        }
    }

    public func plans() throws -> [Plan] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT document FROM plan ORDER BY identifier").map { try JSONDecoder().decode(Plan.self, from: Data($0.utf8)) }
        }
    }

    public func plan(_ identifier: String) throws -> Plan? {
        try database.read { db in try Self.plan(db, identifier: identifier) }
    }

    /// The plan's actions in the order they were first loaded.
    public func actions(plan identifier: String) throws -> [PlanAction] {
        try database.read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM plan WHERE identifier = ?", arguments: [identifier]) else { return [] }
            return try Self.actions(db, planID: id)
        }
    }

    static func plan(_ db: any SQLConnection, identifier: String) throws -> Plan? {
        try String.fetchOne(db, sql: "SELECT document FROM plan WHERE identifier = ?", arguments: [identifier])
            .map { try JSONDecoder().decode(Plan.self, from: Data($0.utf8)) }
    }

    /// A domain value as the audit trail records it.
    static func json(_ value: some Encodable) throws -> JSONValue {
        JSONValue(parsing: String(decoding: try encoder.encode(value), as: UTF8.self)) ?? .null
    }

    static func save(_ db: any SQLConnection, plan: Plan) throws -> Int64 {
        let document = String(decoding: try encoder.encode(plan), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO plan (identifier, document, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (identifier) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
            """, arguments: [plan.identifier, document, CityCarbonDatabase.now()])
        return try Int64.fetchOne(db, sql: "SELECT id FROM plan WHERE identifier = ?", arguments: [plan.identifier])!
    }

    static func actions(_ db: any SQLConnection, planID: Int64) throws -> [PlanAction] {
        try String.fetchAll(db, sql: "SELECT document FROM plan_action WHERE plan_id = ? ORDER BY position, id", arguments: [planID])
            .map { try decodedActions.decode($0) }
    }

    /// Actions decoded once by their document's text; a few plans' worth.
    static let decodedActions = DecodedDocuments<PlanAction>(capacity: 4_096)
}
