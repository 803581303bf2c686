import CarbonMarkets
import Foundation

/// The demo city's key emitters: a power plant that deposited every month of last year and
/// submitted its report (coal measured for nine months, the conservative default for three),
/// and a steel works that is missing November, so its report cannot be submitted and the
/// month shows as overdue. Made up (illustrative, not real enterprises or figures).
public enum DemoEnterprises {
    public static let power = "91330100MA2DEM002L"
    public static let steel = "91330100MA2DEM003P"
    public static let cement = "91330100MA2DEM004T"
    /// The year the power plant's allocation and compliance cycle ran to its end (2021–2022 benchmarks).
    public static let settledYear = 2022
    /// The verifier who verified it (an account with a random password nobody is told).
    public static let verifier = "demo-verifier"

    public static func seed(_ database: CityCarbonDatabase, year: Int = Calendar(identifier: .gregorian).component(.year, from: Date()) - 1,
                            now: Date = Date()) throws {
        let enterprises = """
            credit_code,name,industry,jurisdiction,listed,state_owned,discloses
            \(power),Northbank Energy Co.,4411,Northbank,,yes,
            \(steel),East Harbour Steel Co.,3110,Eastgate,yes,,
            \(cement),West Hills Building Materials Co.,3011,Westfield,,,yes
            91330100MA2DEM005X,Riverside Power Co.,4411,Riverside,,,
            91330100MA2DEM0061,Lakeside Thermal Power Co.,4411,Lakeside,,yes,
            91330100MA2DEM0074,Harbour Special Steel Co.,3110,Harbour,,,
            91330100MA2DEM0087,Old Town Steel Products Co.,3110,Old Town,,,
            91330100MA2DEM009A,Hillcrest Cement Co.,3011,Hillcrest,,,
            91330100MA2DEM010F,Eastgate Cement Works Co.,3011,Eastgate,,,

            """
        let sources = """
            credit_code,facility,facility_name,monitoring_site,source,kind,fuel,datastreams,unit_class,cooling
            \(power),unit-1,Coal unit 1 (600 MW),,coal,combustion,raw_coal,,coal_over_300mw,water
            \(power),unit-1,,,gas,combustion,natural_gas,,,
            \(power),unit-1,,,grid,purchased_electricity,,,,
            \(steel),bf-1,Blast furnace 1,,coke,combustion,coke,,,
            \(steel),bf-1,,,limestone,process,limestone,,,
            \(steel),bf-1,,,grid,purchased_electricity,,,,

            """
        try EnterpriseRepository(database).importSheets(enterprises: Array(enterprises.utf8), file: "demo-enterprises.csv",
                                                        sources: Array(sources.utf8), sourcesFile: "demo-sources.csv", actor: "demo")
        let reports = EmissionReports(database)
        func powerMonth(_ year: Int, _ month: Int) -> MonthlyEvidence {
            let measured = month <= 9 || year < self.year(of: now) - 1
            return MonthlyEvidence(
                facility: "unit-1", year: year, month: month,
                batches: [.init(source: "coal", amount: 30_000 + Double(month % 4) * 1_500, ncv: 21.5 - Double(month % 3) * 0.2,
                                carbonContent: measured ? 0.0262 + Double(month % 2) * 0.0004 : nil),
                          .init(source: "gas", amount: month == 1 ? 50 : 5), .init(source: "grid", amount: 1_500)],
                generation: 72_000 + Double(month % 4) * 3_000, supply: 68_000 + Double(month % 4) * 2_800,
                operatingHours: month == 2 ? 640 : 700, loadFactor: 0.78)
        }
        for month in 1...12 {
            try reports.deposit(powerMonth(year, month), enterprise: power,
                                files: [(name: "lab-coal-\(year)-\(month).pdf", content: Array("Coal analysis, \(year)-\(month) (demo)".utf8))],
                                by: "demo")
            if month != 11 {
                try reports.deposit(MonthlyEvidence(
                    facility: "bf-1", year: year, month: month,
                    batches: [.init(source: "coke", amount: 12_000), .init(source: "limestone", amount: 8_000, emissionFactor: 0.405),
                              .init(source: "grid", amount: 9_000)],
                    operatingHours: 660), enterprise: steel, by: "demo")
            }
        }
        try reports.submit(power, year: year, by: "demo")
        try settle(database, now: now)
        try verifyRegistryYear(database)
        try CarbonAccounts(database).importYears(Array(economics(through: year).utf8), file: "demo-enterprise-years.csv", actor: "demo")
        for graded in [settledYear, DemoRegistry.complianceYear, year] { try CarbonAccounts(database).publishGrades(year: graded, by: "demo") }
    }

    static func year(of date: Date) -> Int { Calendar(identifier: .gregorian).component(.year, from: date) }

    /// The power plant's whole cycle for ``settledYear``: the year before's months for the
    /// pre-allocation, the year's months submitted, verified and accepted, the final allocation's
    /// true-up, and a surrender short of the verified emissions.
    static func settle(_ database: CityCarbonDatabase, now: Date) throws {
        let reports = EmissionReports(database), accounts = CarbonAccounts(database)
        for year in [settledYear - 1, settledYear] {
            for month in 1...12 {
                try reports.deposit(MonthlyEvidence(
                    facility: "unit-1", year: year, month: month,
                    batches: [.init(source: "coal", amount: 29_000 + Double(month % 4) * 1_500, ncv: 21.4 - Double(month % 3) * 0.2,
                                    carbonContent: 0.0263 + Double(month % 2) * 0.0003),
                              .init(source: "gas", amount: 4), .init(source: "grid", amount: 1_400)],
                    generation: 70_000 + Double(month % 4) * 3_000, supply: 66_000 + Double(month % 4) * 2_800,
                    operatingHours: month == 2 ? 630 : 690, loadFactor: year == settledYear ? 0.74 : 0.77), enterprise: power, by: "demo")
            }
        }
        let people = AccountRepository(database, passwordCost: 4)
        if try people.account(username: verifier) == nil {
            try people.create(username: verifier, displayName: "Demo Verification Services", password: Secret.make(), role: .verifier,
                              organisation: "Demo Verification Services Co.", actor: "demo")
        }
        try reports.submit(power, year: settledYear, by: "demo")
        try reports.assign(power, year: settledYear, verifier: verifier, by: "demo")
        try reports.startVerification(power, year: settledYear, by: verifier)
        try reports.verify(power, year: settledYear, findings: [], by: verifier)
        try reports.accept(power, year: settledYear, by: "demo")
        try accounts.allocate(power, year: settledYear, stage: .pre, by: "demo", at: now)
        try accounts.allocate(power, year: settledYear, stage: .final, by: "demo", at: now)
        let held = try AllowanceRegistry(database).balances(of: "NB-POWER").filter { $0.unit == "CEA" && $0.vintage == settledYear }
        let units = held.reduce(Int64(0)) { $0 + $1.units }
        if units > 0 {
            try AllowanceRegistry(database).apply(.transfer(Transfer(
                from: "NB-POWER", to: "SURRENDER", amount: units, unit: "CEA", vintage: settledYear, purpose: .surrender(complianceYear: settledYear),
                proposedBy: "nb-power-officer", approvedBy: "nb-power-manager", approvedAt: now, reference: "demo-surrender-NB-\(settledYear)")), at: now)
        }
    }

    /// Accepted reports for the demo registry's compliance year, so that the allowances it
    /// surrendered meet verified emissions: the power plant's cover them, the steel works' fall
    /// short. (The cement plant reports nowhere on this platform: its year stays without verified emissions.)
    static func verifyRegistryYear(_ database: CityCarbonDatabase) throws {
        let year = DemoRegistry.complianceYear, reports = EmissionReports(database)
        guard try reports.reportCase(power, year: year) == nil else { return }
        for month in 1...12 {
            try reports.deposit(MonthlyEvidence(
                facility: "unit-1", year: year, month: month,
                batches: [.init(source: "coal", amount: 58_000 + Double(month % 3) * 1_000, ncv: 21.2, carbonContent: 0.0264),
                          .init(source: "gas", amount: 6), .init(source: "grid", amount: 1_600)],
                generation: 140_000, supply: 131_000, operatingHours: month == 2 ? 650 : 710, loadFactor: 0.81), enterprise: power, by: "demo")
            try reports.deposit(MonthlyEvidence(
                facility: "bf-1", year: year, month: month,
                batches: [.init(source: "coke", amount: 12_500), .init(source: "limestone", amount: 8_200, emissionFactor: 0.405),
                          .init(source: "grid", amount: 9_100)],
                operatingHours: 680), enterprise: steel, by: "demo")
        }
        for code in [power, steel] {
            try reports.submit(code, year: year, by: "demo")
            try reports.assign(code, year: year, verifier: verifier, by: "demo")
            try reports.startVerification(code, year: year, by: verifier)
            try reports.verify(code, year: year, findings: [], by: verifier)
            try reports.accept(code, year: year, by: "demo")
        }
    }

    /// Value added and energy CO2 of the demo's enterprises, two years before `year` to `year`:
    /// three per industry, so each industry has a mean to grade against. Made up.
    static func economics(through year: Int) -> String {
        let rows: [(String, Double, Double, Double)] = [
            // credit code, value added (10⁴ CNY), energy CO2 (t), yearly change of intensity
            (power, 180_000, 0, -0.02), ("91330100MA2DEM005X", 95_000, 420_000, 0.03), ("91330100MA2DEM0061", 150_000, 500_000, -0.04),
            (steel, 260_000, 1_150_000, 0.01), ("91330100MA2DEM0074", 120_000, 260_000, -0.05), ("91330100MA2DEM0087", 40_000, 330_000, 0.06),
            (cement, 70_000, 210_000, 0.0), ("91330100MA2DEM009A", 30_000, 60_000, -0.03), ("91330100MA2DEM010F", 25_000, 125_000, 0.08),
        ]
        var text = "credit_code,year,value_added_10k_cny,output,output_unit,energy_co2_t\n"
        for (code, valueAdded, co2, change) in rows {
            for year in Set([settledYear - 1, settledYear, year - 1, year]).sorted() {
                let steps = Double(year - settledYear)
                let energy = code == power ? 740_000 * (1 + change * steps) : co2 * (1 + change * steps)
                text += "\(code),\(year),\(Int(valueAdded * (1 + 0.04 * steps))),,,\(Int(energy))\n"
            }
        }
        return text
    }
}
