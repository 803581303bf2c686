import CarbonKit
import CarbonMarkets
import Foundation
import Testing
@testable import CityCarbonStore

/// The MRV desk as stored: months deposited, a report submitted, verified and accepted, every
/// version kept, each step audited, and each party limited to its own part.
@Suite("Emission reports in the store")
struct EmissionReportsTests {
    static let power = "91440300708461136T"

    static func workspace() throws -> CityCarbonDatabase {
        let database = try EnterpriseRepositoryTests.workspace()
        try EnterpriseRepository(database).importSheets(enterprises: Array(EnterpriseRepositoryTests.enterprises.utf8), file: "enterprises.csv",
                                                        sources: Array(EnterpriseRepositoryTests.sources.utf8), actor: "office")
        let accounts = AccountRepository(database, passwordCost: 4)
        try accounts.create(username: "auditor", password: "a long enough password", role: .verifier, actor: "office")
        try accounts.create(username: "other-auditor", password: "a long enough password", role: .verifier, actor: "office")
        return database
    }

    /// Twelve months of Harbour Power's gas unit, 800 × 10⁴ m³ a month, with a laboratory sheet each.
    static func depositYear(_ reports: EmissionReports, amount: Double = 800, skip: Int? = nil) throws {
        for month in 1...12 where month != skip {
            try reports.deposit(MonthlyEvidence(facility: "unit-1", year: 2025, month: month, batches: [.init(source: "gas", amount: amount)],
                                                generation: 40_000, supply: 38_500, operatingHours: 600, loadFactor: 0.82),
                                enterprise: power, files: [(name: "gas-\(month).pdf", content: Array("lab sheet \(month)".utf8))], by: "harbour")
        }
    }

    @Test("A year deposited, submitted, verified with an adjustment and accepted: the verified figure is the adjusted one")
    func fullCycle() throws {
        let database = try Self.workspace()
        let reports = EmissionReports(database)
        try Self.depositYear(reports)
        let draft = try reports.draft(Self.power, year: 2025)
        // 12 × 800 × 389.31 GJ × 0.0153 t C/GJ × 0.99 × 44/12
        #expect(abs(draft.report.total - 9600 * 389.31 * 0.0153 * 0.99 * 44 / 12) < 1e-6)
        let submitted = try reports.submit(Self.power, year: 2025, by: "harbour")
        #expect(submitted.version == 1 && submitted.digest.count == 64)
        try reports.assign(Self.power, year: 2025, verifier: "auditor", by: "office")
        try reports.startVerification(Self.power, year: 2025, by: "auditor")
        try reports.verify(Self.power, year: 2025, findings: [.init(line: "unit-1/gas", comment: "meter drift", adjustedTonnes: 200_000)], by: "auditor")
        #expect(try reports.verifiedEmissions(Self.power, year: 2025) == nil, "not accepted yet")
        try reports.accept(Self.power, year: 2025, by: "office")
        #expect(try reports.verifiedEmissions(Self.power, year: 2025) == 200_000)
        #expect(try reports.events(Self.power, year: 2025).map(\.action) == ["submit", "assign", "start_verification", "verify", "accept"])
        let audited = try AuditTrail(database).events(entity: "emission_report").map(\.action)
        #expect(Set(audited) == ["report.submit", "report.assign", "report.start_verification", "report.verify", "report.accept"])
        #expect(try AuditTrail(database).verify().firstBad == nil)
    }

    @Test("A missing month blocks submission and nothing is written")
    func blocked() throws {
        let reports = EmissionReports(try Self.workspace())
        try Self.depositYear(reports, skip: 7)
        #expect(throws: EmissionReports.Refusal.workflow(.blockedByChecks(errors: 1))) { try reports.submit(Self.power, year: 2025, by: "harbour") }
        #expect(try reports.reportCase(Self.power, year: 2025) == nil)
    }

    @Test("Once submitted the months are frozen; a correction request opens them, and the corrected version is version 2, diffable from 1")
    func correctionAndVersions() throws {
        let reports = EmissionReports(try Self.workspace())
        try Self.depositYear(reports)
        try reports.submit(Self.power, year: 2025, by: "harbour")
        let march = MonthlyEvidence(facility: "unit-1", year: 2025, month: 3, batches: [.init(source: "gas", amount: 700)])
        #expect(throws: EmissionReports.Refusal.frozen(status: .submitted)) { try reports.deposit(march, enterprise: Self.power, by: "harbour") }
        try reports.requestCorrection(Self.power, year: 2025, try CorrectionRequest(sections: ["unit-1/gas", "2025-03"], comment: "March gas is the invoice, not the meter"),
                                      party: .regulator, by: "office")
        try reports.deposit(march, enterprise: Self.power, by: "harbour")
        let second = try reports.submit(Self.power, year: 2025, by: "harbour")
        #expect(second.version == 2)
        let first = try #require(try reports.version(Self.power, year: 2025, version: 1))
        #expect(first.months.first { $0.month == 3 }?.batches.first?.amount == 800, "version 1 is kept as submitted")
        #expect(first.months.first { $0.month == 3 }?.files.count == 1 && second.months.first { $0.month == 3 }?.files.count == 1,
                "a new deposit without files keeps the month's files")
        let diff = ReportDiff(from: first.report, to: second.report, oldMonths: first.months, newMonths: second.months)
        #expect(diff.changes.contains { $0.subject == "unit-1/gas" && $0.field == "activity" && $0.before == 9600 && $0.after == 9500 })
        let request = try #require(try reports.events(Self.power, year: 2025).first { $0.action == "request_correction" })
        #expect(request.sections == ["unit-1/gas", "2025-03"] && request.comment == "March gas is the invoice, not the meter")
    }

    @Test("Only the assigned verifier verifies; a verifier cannot accept; a reporter's impossible month is refused naming the field")
    func parties() throws {
        let database = try Self.workspace()
        let reports = EmissionReports(database)
        try Self.depositYear(reports)
        try reports.submit(Self.power, year: 2025, by: "harbour")
        #expect(throws: EmissionReports.Refusal.unknownVerifier("harbour")) { try reports.assign(Self.power, year: 2025, verifier: "harbour", by: "office") }
        try reports.assign(Self.power, year: 2025, verifier: "auditor", by: "office")
        #expect(throws: EmissionReports.Refusal.notAssigned("other-auditor")) { try reports.startVerification(Self.power, year: 2025, by: "other-auditor") }
        try reports.startVerification(Self.power, year: 2025, by: "auditor")
        #expect(throws: EmissionReports.Refusal.unknownLine("unit-9/coal")) {
            try reports.verify(Self.power, year: 2025, findings: [.init(line: "unit-9/coal", comment: "?")], by: "auditor")
        }
        #expect(throws: EmissionReports.Refusal.self) {
            try reports.verify(Self.power, year: 2025, findings: [.init(line: "unit-1/gas", comment: "x", adjustedTonnes: .infinity)], by: "auditor")
        }
        #expect(throws: EmissionReports.Refusal.workflow(.notAllowed(action: .accept, status: .underVerification, party: .regulator))) {
            try reports.accept(Self.power, year: 2025, by: "office")
        }
        let principal = Principal(actor: "other-auditor", role: .verifier)
        #expect(try reports.party(of: principal, enterprise: Self.power, year: 2025) == nil)
        #expect(try reports.party(of: Principal(actor: "auditor", role: .verifier), enterprise: Self.power, year: 2025) == .verifier)
        #expect(try reports.party(of: Principal(actor: "x", role: .reporter, organisation: Self.power), enterprise: Self.power, year: 2025) == .enterprise)
        #expect(try reports.party(of: Principal(actor: "x", role: .reporter, organisation: "91330100716105852F"), enterprise: Self.power, year: 2025) == nil)
        let bad = MonthlyEvidence(facility: "unit-1", year: 2026, month: 2, batches: [.init(source: "gas", amount: -5)], loadFactor: 7)
        #expect(throws: EmissionReports.Refusal.self) { try reports.deposit(bad, enterprise: Self.power, by: "harbour") }
        #expect(try reports.months(Self.power, year: 2026).isEmpty)
    }

    @Test("Evidence files are kept by digest and given back only for the enterprise that deposited them")
    func files() throws {
        let reports = EmissionReports(try Self.workspace())
        try Self.depositYear(reports)
        let file = try #require(try reports.months(Self.power, year: 2025).first?.files.first)
        #expect(file.sha256.count == 64 && file.bytes == Array("lab sheet 1".utf8).count)
        #expect(try reports.file(file.sha256, enterprise: Self.power)?.content == Array("lab sheet 1".utf8))
        #expect(try reports.file(file.sha256, enterprise: "91330100716105852F") == nil)
        let huge = [UInt8](repeating: 0, count: EmissionReports.fileLimit + 1)
        #expect(throws: EmissionReports.Refusal.fileTooLarge(name: "big.pdf", bytes: huge.count)) {
            try reports.deposit(MonthlyEvidence(facility: "unit-1", year: 2026, month: 1), enterprise: Self.power, files: [(name: "big.pdf", content: huge)], by: "h")
        }
    }
}
