import CarbonAccounting
import CarbonKit
import ClimatePlans
import Foundation

/// The annual assessment (考核) of the districts. Components the platform can score from its
/// own data are scored here — `emissions_target` against each district's allocated target,
/// `data_quality` from the ratings of its activity rows — and the office's sheet scores the
/// rest, each score with its evidence.
public struct AssessmentRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Scores every district below the city for `year` and stores the result as a draft,
    /// replacing an earlier draft of that year. A frozen year is refused.
    @discardableResult
    public func run(year: Int, scheme: AssessmentScheme, scores sheet: [UInt8]?, file: String, actor: String) throws -> DistrictAssessment {
        if let existing = try assessment(year: year), existing.state != .draft { throw AssessmentError.frozen(year: year) }
        let tree = try JurisdictionRepository(database).tree()
        guard let city = tree.roots.first else { throw InputErrors([InputIssue(InputLocation(field: "jurisdictions"), reason: "the workspace has no jurisdictions")]) }
        let districts = tree.children(of: city)
        var scores: [String: [ComponentScore]] = [:]
        if let sheet {
            let text = try ReferenceTable.text(of: sheet, file: file)
            scores = try AssessmentSheet.scores(text, file: file, scheme: scheme, districts: Set(districts))
        }
        let components = Set(scheme.components.map(\.identifier))
        if components.contains(AssessmentEvidence.dataQualityComponent) {
            for district in districts where !(scores[district] ?? []).contains(where: { $0.component == AssessmentEvidence.dataQualityComponent }) {
                scores[district, default: []].append(try dataQuality(district, year: year, tree: tree))
            }
        }
        if components.contains(AssessmentEvidence.targetComponent) {
            let computed = try targetScores(year: year, city: city, districts: districts)
            for district in districts where !(scores[district] ?? []).contains(where: { $0.component == AssessmentEvidence.targetComponent }) {
                guard let score = computed[district] else {
                    throw InputErrors([InputIssue(InputLocation(field: AssessmentEvidence.targetComponent), value: district,
                                                  reason: "cannot be scored: no total-emissions target of \(city) is allocated to its districts, or \(year) has no published inventory",
                                                  suggestion: "citycarbon target allocate TARGET --by jurisdiction, or score it in the sheet")])
                }
                scores[district, default: []].append(score)
            }
        }
        for district in districts where scores[district] == nil { scores[district] = [] }
        let results = try Assessment.run(scheme, scores: scores)
        let assessment = DistrictAssessment(year: year, scheme: scheme, results: results, state: .draft)
        try database.write { db in
            let before = try Self.assessment(db, year: year)
            try Self.save(db, assessment)
            try AuditTrail.append(db, actor: actor, action: before == nil ? "create" : "update", entity: "assessment", entityID: String(year),
                                  before: try before.map(PlanRepository.json), after: try PlanRepository.json(assessment))
        }
        return assessment
    }

    /// Fixes the results: from now on they are the record, whatever data changes later.
    public func freeze(year: Int, actor: String) throws {
        try move(year: year, actor: actor, action: "freeze") { assessment in
            guard assessment.state == .draft else { throw AssessmentError.frozen(year: year) }
            assessment.state = .frozen
            assessment.frozenAt = CityCarbonDatabase.now()
            assessment.frozenBy = actor
        }
    }

    /// Discloses frozen results to the public.
    public func publish(year: Int, actor: String) throws {
        try move(year: year, actor: actor, action: "publish") { assessment in
            guard assessment.state == .frozen else { throw assessment.state == .draft ? AssessmentError.notFrozen(year: year) : AssessmentError.frozen(year: year) }
            assessment.state = .published
            assessment.publishedAt = CityCarbonDatabase.now()
        }
    }

    public func assessment(year: Int) throws -> DistrictAssessment? {
        try database.read { db in try Self.assessment(db, year: year) }
    }

    public func all() throws -> [DistrictAssessment] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT document FROM assessment ORDER BY year").map { try JSONDecoder().decode(DistrictAssessment.self, from: Data($0.utf8)) }
        }
    }

    func move(year: Int, actor: String, action: String, _ change: (inout DistrictAssessment) throws -> Void) throws {
        try database.write { db in
            guard var assessment = try Self.assessment(db, year: year) else { throw AssessmentError.notRun(year: year) }
            let before = assessment.state
            try change(&assessment)
            try Self.save(db, assessment)
            try AuditTrail.append(db, actor: actor, action: action, entity: "assessment", entityID: String(year),
                                  before: .object([("state", .string(before.rawValue))]), after: .object([("state", .string(assessment.state.rawValue))]))
        }
    }

    func dataQuality(_ district: String, year: Int, tree: JurisdictionTree) throws -> ComponentScore {
        let names = tree.lineageDown(from: district)
        // Rows by the quality letter of their activity data ("" unrated), over the district and those below it.
        var table = ActivityTable()
        try database.read { db in
            let ids = try JurisdictionRepository.ids(db)
            try ActivityChunkStore.load(db, year: year, jurisdictions: Set(names.compactMap { ids[$0] }), into: &table)
        }
        var byQuality: [String: Int] = [:]
        for row in table.packedRows {
            byQuality[row.adQuality == 0 ? "" : DataQuality.allCases[Int(row.adQuality) - 1].rawValue, default: 0] += 1
        }
        let rated = (byQuality["H"] ?? 0) + (byQuality["M"] ?? 0) + (byQuality["L"] ?? 0)
        return AssessmentEvidence.dataQualityScore(district: district, year: year, high: byQuality["H"] ?? 0, medium: byQuality["M"] ?? 0,
                                                   low: byQuality["L"] ?? 0, unrated: byQuality.values.reduce(0, +) - rated)
    }

    /// Each district's emissions of `year` against its part of the city's first total-emissions
    /// target allocated to districts.
    func targetScores(year: Int, city: String, districts: [String]) throws -> [String: ComponentScore] {
        let targets = try TargetRepository(database).all()
        guard let target = targets.first(where: { $0.metric == .totalEmissions && $0.jurisdiction == city && $0.allocations.contains { $0.dimension == .jurisdiction } }),
              let allocation = target.allocations.first(where: { $0.dimension == .jurisdiction }),
              let current = try TargetRepository.published(database, year: year),
              let base = try TargetRepository.published(database, year: target.baseYear) else { return [:] }
        var result: [String: ComponentScore] = [:]
        for district in districts {
            guard let part = allocation.parts[district] else { continue }
            result[district] = AssessmentEvidence.targetScore(district: district, year: year, actual: current.totals(year: year, jurisdiction: district).basicPlus,
                                                              base: base.totals(year: target.baseYear, jurisdiction: district).basicPlus, baseYear: target.baseYear,
                                                              part: part, targetYear: target.targetYear)
        }
        return result
    }

    static func assessment(_ db: any SQLConnection, year: Int) throws -> DistrictAssessment? {
        try String.fetchOne(db, sql: "SELECT document FROM assessment WHERE year = ?", arguments: [year]).map { try JSONDecoder().decode(DistrictAssessment.self, from: Data($0.utf8)) }
    }

    static func save(_ db: any SQLConnection, _ assessment: DistrictAssessment) throws {
        let document = String(decoding: try PlanRepository.encoder.encode(assessment), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO assessment (year, state, document, updated_at, frozen_at, frozen_by, published_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (year) DO UPDATE SET state = excluded.state, document = excluded.document, updated_at = excluded.updated_at,
              frozen_at = excluded.frozen_at, frozen_by = excluded.frozen_by, published_at = excluded.published_at
            """, arguments: [assessment.year, assessment.state.rawValue, document, CityCarbonDatabase.now(), assessment.frozenAt, assessment.frozenBy, assessment.publishedAt])
    }
}
