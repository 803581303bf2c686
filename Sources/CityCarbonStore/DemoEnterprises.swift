import CarbonMarkets
import Foundation

/// The demo city's key emitters: a power plant that deposited every month of last year and
/// submitted its report (coal measured for nine months, the conservative default for three),
/// and a steel works that is missing November, so its report cannot be submitted and the
/// month shows as overdue. Made up (illustrative, not real enterprises or figures).
public enum DemoEnterprises {
    public static let power = "91330100MA2DEM002L"
    public static let steel = "91330100MA2DEM003P"

    public static func seed(_ database: CityCarbonDatabase, year: Int = Calendar(identifier: .gregorian).component(.year, from: Date()) - 1) throws {
        let enterprises = """
            credit_code,name,industry,jurisdiction,listed,state_owned
            \(power),Northbank Energy Co.,4411,Northbank,,yes
            \(steel),East Harbour Steel Co.,3110,Eastgate,yes,

            """
        let sources = """
            credit_code,facility,facility_name,monitoring_site,source,kind,fuel,datastreams
            \(power),unit-1,Coal unit 1 (600 MW),,coal,combustion,raw_coal,
            \(power),unit-1,,,gas,combustion,natural_gas,
            \(power),unit-1,,,grid,purchased_electricity,,
            \(steel),bf-1,Blast furnace 1,,coke,combustion,coke,
            \(steel),bf-1,,,limestone,process,limestone,
            \(steel),bf-1,,,grid,purchased_electricity,,

            """
        try EnterpriseRepository(database).importSheets(enterprises: Array(enterprises.utf8), file: "demo-enterprises.csv",
                                                        sources: Array(sources.utf8), sourcesFile: "demo-sources.csv", actor: "demo")
        let reports = EmissionReports(database)
        for month in 1...12 {
            let measured = month <= 9
            try reports.deposit(MonthlyEvidence(
                facility: "unit-1", year: year, month: month,
                batches: [.init(source: "coal", amount: 30_000 + Double(month % 4) * 1_500, ncv: 21.5 - Double(month % 3) * 0.2,
                                carbonContent: measured ? 0.0262 + Double(month % 2) * 0.0004 : nil),
                          .init(source: "gas", amount: month == 1 ? 50 : 5), .init(source: "grid", amount: 1_500)],
                generation: 72_000 + Double(month % 4) * 3_000, supply: 68_000 + Double(month % 4) * 2_800,
                operatingHours: month == 2 ? 640 : 700, loadFactor: 0.78),
                enterprise: power, files: [(name: "lab-coal-\(year)-\(month).pdf", content: Array("Coal analysis, \(year)-\(month) (demo)".utf8))],
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
    }
}
