import Foundation
import Testing
import CarbonKit
@testable import ClimatePlans

@Suite("Indicator catalogues")
struct IndicatorSheetTests {
    func hangzhou() throws -> [IndicatorSheet.Row] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/CityCarbonStore/Resources/demo/hangzhou-indicators.csv")
        return try IndicatorSheet.parse(try String(contentsOf: url, encoding: .utf8), file: "hangzhou-indicators.csv")
    }

    @Test("Hangzhou's set: 15 indicators with the targets the plan states, the province's pending, and their sources")
    func hangzhouSet() throws {
        let rows = try hangzhou()
        #expect(rows.count == 15)
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.indicator.identifier, $0.indicator) })
        let stock = try #require(byID["forest_stock"])
        #expect(stock.values == [IndicatorValue(year: 2020, value: 6790, source: "Hangzhou 14th Five-Year Plan for Addressing Climate Change (2021) §一（二） 应对气候变化工作成效 (2020); §二（三） 总体目标 (2025)")])
        #expect(stock.goals.map(\.value) == [7790])
        #expect(stock.name["zh-Hans"] == "森林蓄积量" && stock.unit == "10^4 m3")
        let co2 = try #require(byID["co2_per_gdp_cut"])
        #expect(co2.kind == .binding && co2.goals.first?.isPending == true)
        #expect(byID["sponge_city"]?.goals.first?.value == 55)
        #expect(rows.filter { $0.group == "adaptation" }.count == 2)
    }

    @Test("A pending goal is not judged; a stated one is: the sponge-city share on its path from 25 % to 55 %")
    func judged() throws {
        let byID = Dictionary(uniqueKeysWithValues: try hangzhou().map { ($0.indicator.identifier, $0.indicator) })
        var co2 = try #require(byID["co2_per_gdp_cut"])
        co2.values.append(IndicatorValue(year: 2022, value: 7))
        #expect(IndicatorAssessment.assess(co2).status == .noGoal)
        var sponge = try #require(byID["sponge_city"])
        sponge.values.append(IndicatorValue(year: 2022, value: 38))   // the path expects 37 in 2022
        #expect(IndicatorAssessment.assess(sponge).status == .onTrack)
    }

    @Test("Every problem of a row is named with its line and column")
    func errors() {
        #expect {
            try IndicatorSheet.parse("""
                identifier,name_en,unit,direction,kind,baseline_year,baseline,target_year,target
                a,Forest,%,upward,,2020,60,2025,65
                b,Wetland,%,increase,must,,,,
                c,Sponge,%,increase,,2020,25,2019,55
                a,Again,%,increase,,,,,
                """, file: "bad.csv")
        } throws: { error in
            let issues = (error as? InputErrors)?.issues ?? []
            return issues.map { "\($0.location.row ?? 0) \($0.location.field ?? "")" } == ["2 direction", "3 kind", "4 target_year", "5 identifier"]
        }
    }
}
