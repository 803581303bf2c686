import CarbonKit
import CarbonMarkets
import Foundation
import Testing
@testable import CityCarbonStore

/// Carbon accounts as stored: allocation issued into the operator account through the ledger,
/// compliance from accepted reports and surrenders, accounts blocked after the deadline, grades
/// from value added, bulk sheets all or nothing, and a disclosure that shows only what was accepted.
@Suite("Carbon accounts in the store")
struct CarbonAccountsTests {
    static let power = "91440300708461136T"
    static let cement = "91330100716105852F"
    static let sources = """
        credit_code,facility,facility_name,monitoring_site,source,kind,fuel,datastreams,unit_class,cooling
        91440300708461136T,unit-1,Unit 1,,coal,combustion,raw_coal,,coal_over_300mw,water
        91330100716105852F,kiln-1,Kiln line 1,,coal,combustion,raw_coal,,,

        """

    static func workspace() throws -> CityCarbonDatabase {
        let database = try EnterpriseRepositoryTests.workspace()
        try EnterpriseRepository(database).importSheets(enterprises: Array(EnterpriseRepositoryTests.enterprises.utf8), file: "enterprises.csv",
                                                        sources: Array(Self.sources.utf8), actor: "office")
        try AccountRepository(database, passwordCost: 4).create(username: "auditor", password: "a long enough password", role: .verifier, actor: "office")
        let registry = AllowanceRegistry(database)
        for account in [RegistryAccount(id: "HP-1", kind: .operatorHolding, holder: power, name: "Harbour Power unit 1",
                                        representatives: [.init(login: "ann", role: .authorised), .init(login: "bo", role: .authorised)]),
                        RegistryAccount(id: "SURRENDER", kind: .surrender, name: "Surrender")] {
            try registry.apply(.openAccount(account))
        }
        return database
    }

    /// A year of unit 1: 100,000 MWh supplied a month at a load factor of 0.75, 40,000 t of coal.
    static func depositYear(_ database: CityCarbonDatabase, _ year: Int, supply: Double = 100_000) throws {
        for month in 1...12 {
            try EmissionReports(database).deposit(MonthlyEvidence(
                facility: "unit-1", year: year, month: month, batches: [.init(source: "coal", amount: 40_000, ncv: 21, carbonContent: 0.026)],
                generation: supply * 1.06, supply: supply, operatingHours: 600, loadFactor: 0.75), enterprise: power, by: "harbour")
        }
    }

    static func accept(_ database: CityCarbonDatabase, _ year: Int) throws {
        let reports = EmissionReports(database)
        try reports.submit(power, year: year, by: "harbour")
        try reports.assign(power, year: year, verifier: "auditor", by: "office")
        try reports.startVerification(power, year: year, by: "auditor")
        try reports.verify(power, year: year, findings: [], by: "auditor")
        try reports.accept(power, year: year, by: "office")
    }

    static func surrender(_ database: CityCarbonDatabase, _ amount: Int64, year: Int, reference: String) throws {
        try AllowanceRegistry(database).apply(.transfer(Transfer(from: "HP-1", to: "SURRENDER", amount: amount, unit: "CEA",
                                                                 purpose: .surrender(complianceYear: year), proposedBy: "ann", approvedBy: "bo",
                                                                 approvedAt: Date(), reference: reference)))
    }

    @Test("Pre-allocation then true-up: units issued as CEA of the year into the operator account, each stage once, recorded in the ledger")
    func allocationCycle() throws {
        let database = try Self.workspace()
        let accounts = CarbonAccounts(database)
        try Self.depositYear(database, 2020)
        let pre = try accounts.allocate(Self.power, year: 2021, stage: .pre, by: "office")
        // 70 % × 1,200,000 MWh × 0.8218 t/MWh
        #expect(pre.units == 690_312 && pre.issued == 690_312 && pre.account == "HP-1")
        #expect(throws: CarbonAccounts.Refusal.alreadyAllocated(enterprise: Self.power, year: 2021, stage: .pre)) {
            try accounts.allocate(Self.power, year: 2021, stage: .pre, by: "office")
        }
        try Self.depositYear(database, 2021)
        #expect(throws: CarbonAccounts.Refusal.notVerified(enterprise: Self.power, year: 2021)) {
            try accounts.allocate(Self.power, year: 2021, stage: .final, by: "office")
        }
        try Self.accept(database, 2021)
        let final = try accounts.allocate(Self.power, year: 2021, stage: .final, by: "office")
        // 1,200,000 MWh × 0.8218 × F(0.75) = 1.015
        #expect(final.units == 1_000_952 && final.issued == 1_000_952 - 690_312)
        let balances = try AllowanceRegistry(database).balances(of: "HP-1")
        #expect(balances == [AllowanceRegistry.Balance(unit: "CEA", vintage: 2021, units: 1_000_952)])
        let references = try AllowanceRegistry(database).entries(account: "HP-1").entries.map(\.reference)
        #expect(references.contains("allocation:\(Self.power):2021:pre") && references.contains("allocation:\(Self.power):2021:final"))
        #expect(try AuditTrail(database).events(entity: "allowance_allocation").map(\.action).sorted() == ["allocation.final", "allocation.pre"])
        #expect(try AllowanceRegistry(database).verify().isIntact)
    }

    @Test("A final allocation before any pre-allocation, or to an enterprise without an operator account, is refused and issues nothing")
    func allocationRefusals() throws {
        let database = try Self.workspace()
        try Self.depositYear(database, 2021)
        try Self.accept(database, 2021)
        #expect(throws: CarbonAccounts.Refusal.preAllocationFirst(enterprise: Self.power, year: 2021)) {
            try CarbonAccounts(database).allocate(Self.power, year: 2021, stage: .final, by: "office")
        }
        #expect(throws: CarbonAccounts.Refusal.noOperatorAccount(Self.cement)) {
            try CarbonAccounts(database).allocate(Self.cement, year: 2021, stage: .pre, by: "office")
        }
        #expect(try AllowanceRegistry(database).balances(of: "HP-1").isEmpty)
        #expect(try CarbonAccounts(database).allocations().isEmpty)
    }

    @Test("Compliance counts the year's surrenders from the enterprise's accounts against its accepted verified emissions")
    func compliance() throws {
        let database = try Self.workspace()
        let accounts = CarbonAccounts(database)
        try Self.depositYear(database, 2020)
        try accounts.allocate(Self.power, year: 2021, stage: .pre, by: "office")
        try Self.depositYear(database, 2021)
        try Self.accept(database, 2021)
        try accounts.allocate(Self.power, year: 2021, stage: .final, by: "office")
        let verified = try #require(try EmissionReports(database).verifiedEmissions(Self.power, year: 2021))
        try Self.surrender(database, 900_000, year: 2021, reference: "s-1")
        let june = try #require(Day("2023-06-01")), january = try #require(Day("2024-01-01"))
        let during = try #require(try accounts.compliance(year: 2021, on: june).first)
        #expect(during.open && during.enterprise == Self.power && during.surrenderedAllowances == 900_000)
        #expect(abs(during.toSurrender - (verified - 900_000)) < 1e-6)
        try Self.surrender(database, 100_952, year: 2021, reference: "s-2")
        let after = try #require(try accounts.compliance(year: 2021, on: january).first)
        #expect(!after.open && after.allocated == 1_000_952 && after.surrenderedAllowances == 1_000_952)
        #expect(after.status.code == (verified <= 1_000_952 ? .A : .B))
        #expect(try accounts.compliance(year: 2021, on: january).map(\.enterprise) == [Self.power],
                "an enterprise with nothing for the year is not listed")
    }

    @Test("After the verified-emissions deadline an account without them is blocked; once accepted it is opened again")
    func blockAndReopen() throws {
        let database = try Self.workspace()
        try Self.depositYear(database, 2021)
        try EmissionReports(database).submit(Self.power, year: 2021, by: "harbour")
        let accounts = CarbonAccounts(database)
        let deadline = try #require(Day("2022-06-30"))
        #expect(try accounts.enforceVerifiedDeadline(year: 2021, on: deadline, by: "office").isEmpty, "still in time")
        let blocked = try accounts.enforceVerifiedDeadline(year: 2021, on: deadline.adding(days: 1), by: "office")
        #expect(blocked.map(\.account) == ["HP-1"] && blocked.first?.status == .blocked)
        #expect(try AllowanceRegistry(database).account("HP-1")?.status == .blocked)
        let reports = EmissionReports(database)
        try reports.assign(Self.power, year: 2021, verifier: "auditor", by: "office")
        try reports.startVerification(Self.power, year: 2021, by: "auditor")
        try reports.verify(Self.power, year: 2021, findings: [], by: "auditor")
        try reports.accept(Self.power, year: 2021, by: "office")
        let reopened = try accounts.enforceVerifiedDeadline(year: 2021, on: deadline.adding(days: 32), by: "office")
        #expect(reopened.map(\.status) == [.open])
        #expect(try AllowanceRegistry(database).account("HP-1")?.status == .open)
    }

    @Test("Grades come from accepted verified emissions first, energy statistics otherwise")
    func grades() throws {
        let database = try Self.workspace()
        try Self.depositYear(database, 2021)
        try Self.accept(database, 2021)
        let years = """
            credit_code,year,value_added_10k_cny,output,output_unit,energy_co2_t
            91440300708461136T,2021,300000,,,1
            91330100716105852F,2021,50000,,,90000

            """
        #expect(try CarbonAccounts(database).importYears(Array(years.utf8), file: "years.csv", actor: "office") == 2)
        let results = try CarbonAccounts(database).efficiency(year: 2021).results
        let power = try #require(results.first { $0.input.enterprise == Self.power })
        let verified = try EmissionReports(database).verifiedEmissions(Self.power, year: 2021)
        #expect(power.input.basis == .verified && power.input.co2 == verified)
        #expect(results.first { $0.input.enterprise == Self.cement }?.input.basis == .statistics)
        #expect(results.allSatisfy { $0.grade == nil }, "one enterprise per industry is too few to grade against")
    }

    @Test("The disclosure shows grades as published: none before, the published ones after, unchanged by figures loaded since")
    func gradesPublished() throws {
        let database = try Self.workspace()
        let extra = """
            credit_code,name,industry,jurisdiction
            91110000600037341L,North Cement,3011,North
            91310000631696382C,South Cement,3011,South

            """
        try EnterpriseRepository(database).importSheets(enterprises: Array(extra.utf8), file: "more.csv", actor: "office")
        let years = """
            credit_code,year,value_added_10k_cny,energy_co2_t
            91330100716105852F,2024,100,300
            91110000600037341L,2024,100,100
            91310000631696382C,2024,100,100

            """
        let accounts = CarbonAccounts(database)
        try accounts.importYears(Array(years.utf8), file: "years.csv", actor: "office")
        let day = try #require(Day("2025-06-01"))
        func publicGrade() throws -> Int? {
            try accounts.disclosures(on: day, only: Self.cement).first?.years.first { $0.year == 2024 }?.grade
        }
        #expect(try publicGrade() == nil, "not published yet")
        #expect(try accounts.publishGrades(year: 2024, by: "office") == 3)
        // West Lake Cement: 3 t per 10⁴ CNY against the industry's 5/3 — K = 1.8, grade 4.
        #expect(try publicGrade() == 4)
        try accounts.importYears(Array("credit_code,year,value_added_10k_cny,energy_co2_t\n91330100716105852F,2024,100,100\n".utf8), file: "fix.csv", actor: "office")
        #expect(try accounts.efficiency(year: 2024).results.first { $0.input.enterprise == Self.cement }?.grade == 3)
        #expect(try publicGrade() == 4, "the public grade waits for the next publication")
        try accounts.publishGrades(year: 2024, by: "office")
        #expect(try publicGrade() == 3)
        #expect(try AuditTrail(database).events(entity: "published_grades").count == 2)
    }

    @Test("A sheet with one wrong row keeps nothing: enterprise years and months of evidence alike")
    func sheetsAllOrNothing() throws {
        let database = try Self.workspace()
        let years = "credit_code,year,value_added_10k_cny\n91440300708461136T,2021,100\n91440300708461136T,2022,-1\n"
        #expect(throws: InputErrors.self) { try CarbonAccounts(database).importYears(Array(years.utf8), file: "years.csv", actor: "office") }
        #expect(try CarbonAccounts(database).years().isEmpty)
        let evidence = """
            credit_code,facility,year,month,source,amount
            91440300708461136T,unit-1,2021,1,coal,100
            91440300708461136T,unit-1,2021,2,coal,abc

            """
        #expect(throws: InputErrors.self) { try EmissionReports(database).depositSheet(Array(evidence.utf8), file: "evidence.csv", by: "office") }
        #expect(try EmissionReports(database).months(Self.power, year: 2021).isEmpty)
        let good = evidence.replacingOccurrences(of: "abc", with: "120")
        #expect(try EmissionReports(database).depositSheet(Array(good.utf8), file: "evidence.csv", by: "office") == 2)
        #expect(try EmissionReports(database).months(Self.power, year: 2021).map(\.month) == [1, 2])
    }

    @Test("A workbook saved by a spreadsheet program is checked as its CSV would be: a formula's empty cell is named at its row")
    func workbookEvidence() throws {
        let database = try Self.workspace()
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/evidence.xlsx")
        let bytes = Array(try #require(FileManager.default.contents(atPath: url.path)))
        do {
            try EmissionReports(database).depositSheet(bytes, file: "evidence.xlsx", by: "harbour")
            Issue.record("refused")
        } catch let errors as InputErrors {
            #expect(errors.issues.map { "\($0.location.file ?? ""):\($0.location.row ?? 0):\($0.location.field ?? "")" } == ["evidence.xlsx:5:amount"])
        }
        #expect(try EmissionReports(database).months(Self.power, year: 2025).isEmpty)
    }

    @Test("An enterprise filing in bulk cannot file for another: the row names the credit code")
    func bulkOnlyForOneself() throws {
        let database = try Self.workspace()
        let evidence = "credit_code,facility,year,month,source,amount\n91330100716105852F,kiln-1,2021,1,coal,100\n"
        do {
            try EmissionReports(database).depositSheet(Array(evidence.utf8), file: "evidence.csv", enterprises: [Self.power], by: "harbour")
            Issue.record("refused")
        } catch let errors as InputErrors {
            #expect(errors.issues.first?.location.field == "credit_code" && errors.issues.first?.location.row == 2)
        }
        #expect(try EmissionReports(database).months(Self.cement, year: 2021).isEmpty)
    }

    @Test("Disclosure shows a listed or state-owned enterprise's accepted figures only, never a report still in review")
    func disclosureShowsOnlyAccepted() throws {
        let database = try Self.workspace()
        try Self.depositYear(database, 2021)
        try EmissionReports(database).submit(Self.power, year: 2021, by: "harbour")
        let years = "credit_code,year,value_added_10k_cny,energy_co2_t\n91440300708461136T,2021,300000,77777\n"
        try CarbonAccounts(database).importYears(Array(years.utf8), file: "years.csv", actor: "office")
        let day = try #require(Day("2022-03-01"))
        let before = try CarbonAccounts(database).disclosures(on: day)
        // West Lake Cement is listed, Harbour Power state-owned: both disclose, neither has anything accepted.
        #expect(before.map(\.enterprise.creditCode).sorted() == [Self.cement, Self.power].sorted())
        #expect(before.allSatisfy { $0.years.allSatisfy { $0.verified == nil } })
        let reports = EmissionReports(database)
        try reports.assign(Self.power, year: 2021, verifier: "auditor", by: "office")
        try reports.startVerification(Self.power, year: 2021, by: "auditor")
        try reports.verify(Self.power, year: 2021, findings: [], by: "auditor")
        try reports.accept(Self.power, year: 2021, by: "office")
        let after = try #require(try CarbonAccounts(database).disclosures(on: day, only: Self.power).first)
        let verified = try reports.verifiedEmissions(Self.power, year: 2021)
        #expect(after.years.first?.verified == verified && verified != nil)
    }
}
