import CarbonKit
import CarbonMonitoring
import Testing
@testable import CityProgramme

/// The registry's sheets are checked whole, every problem named by row and column.
@Suite("Monitoring sheets")
struct MonitoringSheetsTests {
    @Test func aSiteOutsideTheEnergySectorsOrTheCityIsNamedWithEveryOtherProblem() throws {
        let table = try ReferenceTable(name: "sites.csv", text: """
            key,name,kind,use,jurisdiction,organisation,gpc_ref,floor_area_m2
            a,Hall,building,office,Riverside,City,III.1,100
            b,Depot,facility,depot,Atlantis,City,II.1,-5
            a,Hall again,building,office,Riverside,City,I.2,

            """)
        #expect {
            try MonitoringSheets.sites(table, jurisdictions: ["Riverside"])
        } throws: { error in
            let issues = (error as? InputErrors)?.issues ?? []
            return issues.map { $0.location.field } == ["gpc_ref", "jurisdiction", "key"] && issues.map { $0.location.row } == [2, 3, 4]
        }
    }

    @Test func aFactorSeriesMustStepByAnHourOrADayWithoutGaps() throws {
        let hourly = try ReferenceTable(name: "grid.csv", text: "time,kg_per_kwh\n2026-01-01T01:00:00Z,0.5\n2026-01-01T02:00:00Z,0.6\n2026-01-01T04:00:00Z,0.4\n")
        #expect {
            try MonitoringSheets.factorSeries(hourly, name: "east", source: "East China Grid Co., hourly factors, 2026")
        } throws: { error in (error as? InputErrors)?.issues.first?.location.row == 4 }
        let good = try ReferenceTable(name: "grid.csv", text: "time,kg_per_kwh\n2026-01-01T01:00:00Z,0.5\n2026-01-01T02:00:00Z,0.6\n")
        let series = try MonitoringSheets.factorSeries(good, name: "east", source: "East China Grid Co., hourly factors, 2026")
        #expect(series.stepHours == 1 && series.kgPerUnit == [0.5, 0.6])
        #expect(throws: InputErrors.self) { try MonitoringSheets.factorSeries(good, name: " ", source: "") }
    }
}
