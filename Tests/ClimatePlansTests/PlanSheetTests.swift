import CarbonKit
import Foundation
import Testing
@testable import ClimatePlans

/// The demo plan CSV the store ships: Helsinki's Carbon Neutral 2035 plan, extracted from the seed.
func helsinkiSheet() throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/CityCarbonStore/Resources/demo/helsinki-plan.csv")
    return try String(contentsOf: url, encoding: .utf8)
}

@Suite("Plan spreadsheets")
struct PlanSheetTests {
    @Test("Helsinki's plan loads whole: 147 actions in 8 areas and 21 groups, in Chinese and English")
    func helsinki() throws {
        let sheet = try PlanSheet.parse(try helsinkiSheet(), file: "helsinki-plan.csv")
        let (actions, added, updated) = try sheet.apply(to: [], on: Day("2026-11-22"))
        #expect(actions.count == 147 && added.count == 147 && updated.isEmpty)
        #expect(actions.map(\.identifier) == (1...147).map(String.init))
        let areas = sheet.categories.filter { $0.parent == nil }
        #expect(areas.count == 8)
        #expect(sheet.categories.count - areas.count == 21)
        let type = CategoryType(identifier: "area", name: Multilingual(["en": "Area"]), categories: sheet.categories)
        func count(_ area: String) -> Int { let ids = type.subtree(of: area); return actions.filter { ids.contains($0.categories[0]) }.count }
        // Transport 1–30, buildings 31–89, consumption 90–122, growth 123–129, sinks 130–136, adaptation 137, communication 138–140, cooperation 141–147.
        #expect(["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8"].map(count) == [30, 59, 33, 7, 7, 1, 3, 7])
        #expect(actions[1].name["zh-Hans"] == "2025年建成内城自行车交通网络")
        #expect(actions[1].name["en"] == "The inner-city cycling network will be completed by 2025")
        #expect(areas[0].name.text("zh-Hans") == "交通")
    }

    @Test("A sheet of identifiers and statuses updates those actions in place and leaves the rest")
    func updateInPlace() throws {
        let plan = try PlanSheet.parse(try helsinkiSheet(), file: "helsinki-plan.csv").apply(to: [], on: Day("2026-01-01")).actions
        let update = try PlanSheet.parse("""
            kind,identifier,status,organisation,end_date
            action,2,in_progress,Urban Environment Division,2025-12-31
            action,145,completed,,
            """, file: "progress.csv")
        let (actions, added, updated) = try update.apply(to: plan, on: Day("2026-11-22"))
        #expect(added.isEmpty && updated == ["2", "145"])
        #expect(actions[1].status == .inProgress && actions[1].primaryOrganisation == "Urban Environment Division")
        #expect(actions[1].endDate == Day("2025-12-31") && actions[1].updatedOn == Day("2026-11-22"))
        #expect(actions[1].name["zh-Hans"] == "2025年建成内城自行车交通网络", "names not in the sheet are kept")
        #expect(actions[144].status == .completed)
        #expect(actions[0] == plan[0])
    }

    @Test("Every problem of a sheet is named with its line and column, and nothing is applied")
    func errors() {
        #expect {
            try PlanSheet.parse("""
                kind,identifier,parent,name_en,stauts
                action,1,A9,Bike lanes,
                """, file: "bad.csv")
        } throws: { error in
            (error as? InputErrors)?.issues.first?.suggestion == "did you mean 'status'?"
        }
        #expect {
            try PlanSheet.parse("""
                kind,identifier,parent,name_en,status,end_date,start_date
                area,A1,,Transport,,,
                action,1,A1,Bike lanes,finished,2020-01-01,2021-01-01
                action,1,A1,Again,,,
                action,2,A9,Trams,,2026-02-30,
                """, file: "bad.csv")
        } throws: { error in
            let issues = (error as? InputErrors)?.issues ?? []
            let text = issues.map { "\($0.location.row ?? 0) \($0.location.field ?? "") \($0.value ?? "") \($0.reason)" }
            return issues.count == 5
                && text.contains("3 status finished is not a status")
                && text.contains("3 end_date 2020-01-01 is before the start date 2021-01-01")
                && text.contains("4 identifier 1 is already used on line 3")
                && text.contains("5 end_date 2026-02-30 is not a date")
                && text.contains("5 parent A9 is not a category of the sheet or the plan")
        }
    }

    @Test("Costs by year and kind and expected reductions by year load from their columns, and a later sheet replaces a year's entry")
    func costsAndReductions() throws {
        let plan = try PlanSheet.parse(try helsinkiSheet(), file: "helsinki-plan.csv").apply(to: [], on: nil).actions
        let money = try PlanSheet.parse("""
            kind,identifier,currency,capital_cost_2025,operating_cost_2025,reduction_2025,reduction_2030,cost_source,reduction_method,reduction_source
            action,54,EUR,4200000,150000,1800,2500,Budget 2025,lighting energy × grid factor,HSY
            """, file: "costs.csv")
        var (actions, _, _) = try money.apply(to: plan, on: Day("2026-11-22"))
        let lighting = actions[53]
        #expect(lighting.costs == [CostEntry(year: 2025, kind: .capital, amount: 4_200_000, currency: "EUR", source: "Budget 2025"),
                                   CostEntry(year: 2025, kind: .operating, amount: 150_000, currency: "EUR", source: "Budget 2025")])
        #expect(lighting.reductions.map(\.tonnesCO2e) == [1800, 2500])
        #expect(lighting.reductions.first?.method == "lighting energy × grid factor")
        let revised = try PlanSheet.parse("kind,identifier,reduction_2030\naction,54,2100\n", file: "revised.csv")
        (actions, _, _) = try revised.apply(to: actions, on: Day("2026-11-23"))
        #expect(actions[53].reductions.map(\.tonnesCO2e) == [1800, 2100])
        #expect(actions[53].costs.count == 2)
    }

    @Test("A cost without a currency, a negative cost or a reduction that is not a number is refused")
    func badMoney() {
        #expect {
            try PlanSheet.parse("""
                kind,identifier,capital_cost_2025,operating_cost_2026,reduction_2025
                action,1,100,,
                action,2,,,"1,800"
                """, file: "bad.csv")
        } throws: { error in
            let issues = (error as? InputErrors)?.issues ?? []
            return issues.map { "\($0.location.row ?? 0) \($0.location.field ?? "")" } == ["2 currency", "3 reduction_2025"]
        }
        #expect(throws: InputErrors.self) {
            try PlanSheet.parse("kind,identifier,currency,capital_cost_2025\naction,1,EUR,-5\n", file: "bad.csv")
        }
    }

    @Test("A new action without a name is refused")
    func newActionNeedsName() throws {
        let sheet = try PlanSheet.parse("kind,identifier,status\naction,148,in_progress\n", file: "new.csv")
        #expect(throws: InputErrors.self) { try sheet.apply(to: [], on: nil) }
    }

    @Test("A sheet's air columns give an action its effect on the air; `none` removes it, empty cells leave it")
    func airEffect() throws {
        let plan = try PlanSheet.parse(try helsinkiSheet(), file: "helsinki-plan.csv").apply(to: [], on: Day("2026-01-01")).actions
        let sheet = try PlanSheet.parse("""
            kind,identifier,air_pollutant,air_district,air_concentration_reduction,air_emission_reduction,air_source
            action,17,pm25,Old Town,1.5,,LEZ study 2026
            action,18,pm25,,,12.5,
            action,19,,,,,
            """, file: "air.csv")
        let (actions, _, updated) = try sheet.apply(to: plan, on: Day("2026-11-22"))
        #expect(updated == ["17", "18"])
        let lez = try #require(actions.first { $0.identifier == "17" }?.airEffect)
        #expect(lez == AirEffect(pollutant: .pm25, district: "Old Town", concentrationReduction: 1.5, source: "LEZ study 2026"))
        #expect(actions.first { $0.identifier == "18" }?.airEffect?.emissionReductionTonnes == 12.5)
        let cleared = try PlanSheet.parse("kind,identifier,air_pollutant\naction,17,none\n", file: "c.csv").apply(to: actions, on: nil).actions
        #expect(cleared.first { $0.identifier == "17" }?.airEffect == nil)
        #expect(cleared.first { $0.identifier == "18" }?.airEffect != nil)
    }

    @Test(arguments: [
        ("action,17,pm10,,1,,", "air_pollutant", "is not a pollutant"),
        ("action,17,,,1,,", "air_pollutant", "needs its pollutant"),
        ("action,17,pm25,,,,x", "air_concentration_reduction", "needs a concentration or an emission"),
        ("action,17,pm25,,1,2,", "air_emission_reduction", "not both"),
        ("action,17,no2,,,2,", "air_emission_reduction", "only primary PM2.5"),
        ("action,17,pm25,,1e308,,", "air_concentration_reduction", "is not a number of µg/m³"),
        ("action,17,pm25,,nan,,", "air_concentration_reduction", "is not a number of µg/m³"),
        ("action,17,pm25,,0x10,,", "air_concentration_reduction", "is not a number of µg/m³"),
        ("action,17,pm25,,,100001,", "air_emission_reduction", "is not a number of tonnes a year"),
        ("action,17,pm25,Old Town,,12,", "air_district", "breathed across the city"),
        ("action,17,none,Old Town,3,,", "air_district", "none removes the effect"),
    ])
    func aBadAirCellIsNamed(_ row: String, _ column: String, _ reason: String) {
        #expect {
            try PlanSheet.parse("kind,identifier,air_pollutant,air_district,air_concentration_reduction,air_emission_reduction,air_source\n" + row,
                                file: "air.csv")
        } throws: { error in
            guard let issue = (error as? InputErrors)?.issues.first else { return false }
            return issue.location.file == "air.csv" && issue.location.row == 2 && issue.location.field == column && issue.reason.contains(reason)
        }
    }
}
