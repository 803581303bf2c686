import CarbonKit
import Testing
@testable import CarbonMarkets

/// The annual report computed from the months: line by line, measured over default, the
/// conservative default for unmeasured coal, and the evaluation before submission.
@Suite("Annual emission report")
struct AnnualReportTests {
    /// The China provincial guideline's defaults (NDRC 2011) in the report's units.
    static let fuels: [String: FuelParameters] = [
        "raw_coal": FuelParameters(unit: "t", ncv: 20.908, carbonContent: 0.02637, oxidation: 0.94, factorSet: "CN2011"),
        "natural_gas": FuelParameters(unit: "10^4 m3", ncv: 389.31, carbonContent: 0.0153, oxidation: 0.99, factorSet: "CN2011"),
    ]
    static let indirect = IndirectFactors(electricity: 0.5703, electricitySet: "grid:cn_enterprise_reporting:2022", heat: 0.11)
    static let plant = Enterprise(creditCode: "91330100MA27XXXX1K", name: "Riverside Power", industry: "4411", jurisdiction: "Eastgate",
                                  facilities: [Facility(key: "unit-1", name: "Unit 1", sources: [
                                      EmissionSource(key: "coal", kind: .combustion, fuel: "raw_coal"),
                                      EmissionSource(key: "gas", kind: .combustion, fuel: "natural_gas"),
                                      EmissionSource(key: "lime", kind: .process, fuel: "limestone"),
                                      EmissionSource(key: "grid", kind: .purchasedElectricity),
                                      EmissionSource(key: "steam", kind: .purchasedHeat),
                                  ])])

    static func year(_ batches: (Int) -> [MonthlyEvidence.Batch], files: Bool = true) -> [MonthlyEvidence] {
        (1...12).map { month in
            MonthlyEvidence(facility: "unit-1", year: 2024, month: month, batches: batches(month), generation: 40_000, supply: 38_000,
                            operatingHours: 600, loadFactor: 0.8,
                            files: files ? [.init(name: "lab-\(month).pdf", sha256: String(repeating: "a", count: 64), bytes: 1)] : [])
        }
    }

    func report(_ months: [MonthlyEvidence]) -> AnnualReport {
        AnnualReport.compute(enterprise: Self.plant, year: 2024, months: months, fuels: Self.fuels, indirect: Self.indirect)
    }

    @Test("A measured coal batch: 1,000 t × 20 GJ/t × 0.027 t C/GJ × 0.94 × 44/12 = 1,861.2 t CO2")
    func measuredCoal() throws {
        let months = [MonthlyEvidence(facility: "unit-1", year: 2024, month: 3,
                                      batches: [.init(source: "coal", amount: 1000, ncv: 20, carbonContent: 0.027)])]
        let line = try #require(report(months).lines.first { $0.source == "coal" })
        #expect(abs(line.tonnes - 1861.2) < 1e-9)
        #expect(abs(line.monthly[2] - 1861.2) < 1e-9 && line.monthly[0] == 0)
        #expect(line.ncvBasis == .measured && line.carbonBasis == .measured && line.measuredCarbonShare == 1)
        #expect(line.conservativeSurcharge == 0)
    }

    @Test("Unmeasured coal takes 0.03085 t C/GJ, not the guideline's 0.02637: 2,223.14 t, of which 322.84 t is the surcharge")
    func conservativeCoal() throws {
        let months = [MonthlyEvidence(facility: "unit-1", year: 2024, month: 1, batches: [.init(source: "coal", amount: 1000)])]
        let line = try #require(report(months).lines.first { $0.source == "coal" })
        #expect(abs(line.tonnes - 20_908 * 0.03085 * 0.94 * 44 / 12) < 1e-9)
        #expect(abs(line.tonnes - 2223.14) < 0.01)
        #expect(abs(line.conservativeSurcharge - 322.84) < 0.01)
        #expect(line.carbonBasis == .conservative && line.ncvBasis == .default)
    }

    @Test("The conservative coal default is 10–20 % above the guideline's default, as the reference says such defaults are")
    func conservativeIsAboveActual() throws {
        let conservative = try #require(ReportingRules.standard.conservativeCarbonContent("raw_coal"))
        let standard = try #require(Self.fuels["raw_coal"]).carbonContent
        let ratio = conservative / standard
        #expect(ratio > 1.10 && ratio < 1.20)
        #expect(ReportingRules.standard.conservativeCarbonContent("natural_gas") == nil, "gas keeps the guideline's default")
    }

    @Test("Batches are weighted: one measured and one not give the heat-weighted carbon content and the measured share")
    func weightedBatches() throws {
        let months = [MonthlyEvidence(facility: "unit-1", year: 2024, month: 1, batches: [
            .init(source: "coal", amount: 1000, ncv: 20, carbonContent: 0.027),
            .init(source: "coal", amount: 1000, ncv: 20),
        ])]
        let line = try #require(report(months).lines.first { $0.source == "coal" })
        #expect(abs(try #require(line.carbonContent) - (0.027 + 0.03085) / 2) < 1e-12)
        #expect(line.measuredCarbonShare == 0.5 && line.carbonBasis == .conservative)
        #expect(abs(line.tonnes - 40_000 * (0.027 + 0.03085) / 2 * 0.94 * 44 / 12) < 1e-9)
    }

    @Test("Gas in 10⁴ m³, electricity at the 2022 enterprise-reporting factor, heat at 0.11 t/GJ, a process at its declared factor")
    func otherLines() throws {
        let months = [MonthlyEvidence(facility: "unit-1", year: 2024, month: 6, batches: [
            .init(source: "gas", amount: 10), .init(source: "grid", amount: 1000), .init(source: "steam", amount: 1000),
            .init(source: "lime", amount: 100, emissionFactor: 0.44),
        ])]
        let lines = Dictionary(uniqueKeysWithValues: report(months).lines.map { ($0.source, $0) })
        #expect(abs(try #require(lines["gas"]).tonnes - 3893.1 * 0.0153 * 0.99 * 44 / 12) < 1e-9)
        #expect(abs(try #require(lines["gas"]).tonnes - 216.22) < 0.01)
        #expect(abs(try #require(lines["grid"]).tonnes - 570.3) < 1e-9)
        #expect(abs(try #require(lines["steam"]).tonnes - 110) < 1e-9)
        #expect(abs(try #require(lines["lime"]).tonnes - 44) < 1e-9)
        let computed = report(months)
        #expect(abs(computed.direct - (216.22 + 44)) < 0.01 && abs(computed.indirectTonnes - 680.3) < 1e-9)
    }

    @Test("A full year deposited with evidence passes the checks; a missing month is an error that blocks submission")
    func completeness() {
        let full = Self.year { _ in [.init(source: "coal", amount: 15_000, ncv: 21, carbonContent: 0.0265)] }
        let checks = ReportChecks.run(report(full), months: full, enterprise: Self.plant, fuels: Self.fuels)
        #expect(!ReportChecks.blocksSubmission(checks))
        #expect(checks.allSatisfy { $0.severity == .note }, "only notes: \(checks)")
        let gap = full.filter { $0.month != 7 }
        let missing = ReportChecks.run(report(gap), months: gap, enterprise: Self.plant, fuels: Self.fuels)
        #expect(missing.contains(ReportCheck(.error, "month_missing", subject: "unit-1", month: 7)))
        #expect(ReportChecks.blocksSubmission(missing))
    }

    @Test("Measured values far from the defaults: 1.9 × is a warning, 2.3 × an error; months without files are warnings")
    func plausibility() {
        let months = Self.year({ month in
            [.init(source: "coal", amount: 15_000, ncv: 21, carbonContent: month == 2 ? 0.05 : month == 3 ? 0.06 : 0.0265)]
        }, files: false)
        let checks = ReportChecks.run(report(months), months: months, enterprise: Self.plant, fuels: Self.fuels)
        #expect(checks.contains { $0.code == "carbon_implausible" && $0.month == 2 && $0.severity == .warning })
        #expect(checks.contains { $0.code == "carbon_implausible" && $0.month == 3 && $0.severity == .error })
        #expect(checks.filter { $0.code == "evidence_missing" }.count == 12)
    }

    @Test("Unmeasured coal is flagged with its surcharge; a process without a factor cannot be computed")
    func conservativeAndMissing() {
        let months = Self.year { month in
            [.init(source: "coal", amount: 15_000, ncv: 21)] + (month == 1 ? [.init(source: "lime", amount: 10)] : [])
        }
        let checks = ReportChecks.run(report(months), months: months, enterprise: Self.plant, fuels: Self.fuels)
        #expect(checks.contains { $0.code == "carbon_conservative" && $0.severity == .warning && $0.values[0] > 0 })
        #expect(checks.contains { $0.code == "factor_missing" && $0.subject == "unit-1/lime" && $0.severity == .error })
    }

    @Test("Metered amounts 10 % away from the reported are flagged; the inventory's sub-sector total is a ceiling")
    func crossChecks() {
        let months = Self.year { _ in [.init(source: "coal", amount: 15_000, ncv: 21, carbonContent: 0.0265)] }
        let computed = report(months)
        let checks = ReportChecks.run(computed, months: months, enterprise: Self.plant, fuels: Self.fuels,
                                      metered: [.init(line: "unit-1/coal", amount: 162_000), .init(line: "unit-1/gas", amount: 0)],
                                      inventoryTonnes: computed.direct / 2)
        #expect(checks.contains { $0.code == "meter_difference" && $0.values == [180_000, 162_000] })
        #expect(checks.contains { $0.code == "inventory_exceeded" && $0.subject == "Eastgate" })
        let close = ReportChecks.run(computed, months: months, enterprise: Self.plant, fuels: Self.fuels,
                                     metered: [.init(line: "unit-1/coal", amount: 176_000)], inventoryTonnes: computed.direct * 3)
        #expect(!close.contains { $0.code == "meter_difference" || $0.code == "inventory_exceeded" })
    }

    @Test("Heat rate: 15,000 t a month at 21 GJ/t for 40,000 MWh is 7.9 GJ/MWh (plausible); for a tenth of that generation it is not")
    func heatRate() {
        let months = Self.year { _ in [.init(source: "coal", amount: 15_000, ncv: 21, carbonContent: 0.0265)] }
        #expect(!ReportChecks.run(report(months), months: months, enterprise: Self.plant, fuels: Self.fuels).contains { $0.code == "heat_rate_implausible" })
        let wrong = months.map { month -> MonthlyEvidence in var m = month; m.generation = 4_000; m.supply = 3_800; return m }
        #expect(ReportChecks.run(report(wrong), months: wrong, enterprise: Self.plant, fuels: Self.fuels).contains { $0.code == "heat_rate_implausible" })
    }

    @Test("A month refuses what is impossible, naming the field: NaN, a negative amount, 800 hours in February, a load factor of 1.5")
    func impossibleMonth() {
        let kinds: [String: EmissionSource.Kind] = ["coal": .combustion, "grid": .purchasedElectricity]
        let month = MonthlyEvidence(facility: "unit-1", year: 2025, month: 2, batches: [
            .init(source: "coal", amount: .nan), .init(source: "coal", amount: -1), .init(source: "nope", amount: 1),
            .init(source: "grid", amount: 1, ncv: 20),
        ], generation: 10, supply: 20, operatingHours: 800, loadFactor: 1.5)
        let fields = Set(month.problems(sources: kinds).map(\.field))
        #expect(fields == ["batches[0].amount", "batches[1].amount", "batches[2].source", "batches[3].ncv", "operating_hours", "load_factor", "supply"])
        #expect(MonthlyEvidence(facility: "u", year: 2024, month: 2, operatingHours: 696).problems(sources: [:]).isEmpty, "29 days of 2024")
        #expect(!MonthlyEvidence(facility: "u", year: 2024, month: 13).problems(sources: [:]).isEmpty)
    }
}

@Suite("Report workflow")
struct ReportWorkflowTests {
    @Test("Draft → submitted → under verification → verified → accepted, each step by its party")
    func happyPath() throws {
        var status = ReportStatus.draft
        status = try ReportWorkflow.next(status, .submit, by: .enterprise)
        status = try ReportWorkflow.next(status, .startVerification, by: .verifier)
        status = try ReportWorkflow.next(status, .verify, by: .verifier)
        status = try ReportWorkflow.next(status, .accept, by: .regulator)
        #expect(status == .accepted)
    }

    @Test("Nobody acts out of turn: an enterprise cannot verify, a verifier cannot accept, nothing moves an accepted report")
    func outOfTurn() {
        #expect(throws: ReportWorkflowError.notAllowed(action: .verify, status: .submitted, party: .enterprise)) {
            try ReportWorkflow.next(.submitted, .verify, by: .enterprise)
        }
        #expect(throws: ReportWorkflowError.self) { try ReportWorkflow.next(.verified, .accept, by: .verifier) }
        #expect(throws: ReportWorkflowError.self) { try ReportWorkflow.next(.submitted, .submit, by: .enterprise) }
        for action in ReportAction.allCases {
            for party in [ReportParty.enterprise, .verifier, .regulator] {
                #expect(throws: ReportWorkflowError.self) { try ReportWorkflow.next(.accepted, action, by: party) }
            }
        }
    }

    @Test("A correction request sends the report back; the enterprise submits a corrected version")
    func correction() throws {
        #expect(try ReportWorkflow.next(.verified, .requestCorrection, by: .regulator) == .correctionRequested)
        #expect(try ReportWorkflow.next(.underVerification, .requestCorrection, by: .verifier) == .correctionRequested)
        #expect(try ReportWorkflow.next(.correctionRequested, .submit, by: .enterprise) == .submitted)
        #expect(throws: ReportWorkflowError.correctionNeedsSections) { try CorrectionRequest(sections: [" "], comment: "wrong") }
        #expect(throws: ReportWorkflowError.correctionNeedsSections) { try CorrectionRequest(sections: ["unit-1/coal"], comment: "  ") }
    }

    @Test("Verified emissions take a finding's adjusted tonnes instead of the line's")
    func adjustments() {
        let months = [MonthlyEvidence(facility: "unit-1", year: 2024, month: 1, batches: [
            .init(source: "coal", amount: 1000, ncv: 20, carbonContent: 0.027), .init(source: "grid", amount: 1000),
        ])]
        let report = AnnualReport.compute(enterprise: AnnualReportTests.plant, year: 2024, months: months,
                                          fuels: AnnualReportTests.fuels, indirect: AnnualReportTests.indirect)
        let verified = VerificationFinding.verifiedTonnes(report, findings: [
            .init(line: "unit-1/coal", comment: "the March weighbridge ticket was counted twice", adjustedTonnes: 1800),
            .init(line: "unit-1/grid", comment: "invoices agree"),
        ])
        #expect(abs(verified.direct - 1800) < 1e-9 && abs(verified.total - 2370.3) < 1e-9)
    }

    @Test("The diff of a corrected version names the lines and months that changed, and nothing else")
    func diff() {
        let first = [MonthlyEvidence(facility: "unit-1", year: 2024, month: 1, batches: [.init(source: "coal", amount: 1000, ncv: 20, carbonContent: 0.027)]),
                     MonthlyEvidence(facility: "unit-1", year: 2024, month: 2, batches: [.init(source: "grid", amount: 10)])]
        var second = first
        second[0].batches[0].amount = 900
        func compute(_ m: [MonthlyEvidence]) -> AnnualReport {
            AnnualReport.compute(enterprise: AnnualReportTests.plant, year: 2024, months: m, fuels: AnnualReportTests.fuels,
                                 indirect: AnnualReportTests.indirect)
        }
        let diff = ReportDiff(from: compute(first), to: compute(second), oldMonths: first, newMonths: second)
        #expect(Set(diff.changes.map(\.subject)) == ["unit-1/coal", "total"])
        #expect(diff.changes.contains { $0.subject == "unit-1/coal" && $0.field == "activity" && $0.before == 1000 && $0.after == 900 })
        #expect(ReportDiff(from: compute(first), to: compute(first), oldMonths: first, newMonths: first).changes.isEmpty)
    }
}
