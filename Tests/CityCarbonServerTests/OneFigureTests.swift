import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// A figure shown in two places is one number: per resident and per unit of GDP on the
/// dashboard, in the indicator catalogue and on a scenario whose base year is that year.
@Suite("One figure, one definition")
struct OneFigureTests {
    static func first(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }

    static func value(_ json: String, year: Int) -> Double? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let values = object["values"] as? [[String: Any]] else { return nil }
        return values.first { $0["year"] as? Int == year }?["value"] as? Double
    }

    @Test("Per resident and per 10^4 CNY of GDP in 2023 agree on the dashboard, the indicators and the 2023-based scenario")
    func perCapitaAndPerGDPAgreeEverywhere() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            let inventory = try await client.execute(uri: "/api/v1/inventories", method: .get).text
            let object = try JSONSerialization.jsonObject(with: Data(inventory.utf8)) as? [String: Any]
            let year2023 = (object?["items"] as? [[String: Any]])?.first { $0["year"] as? Int == 2023 }
            let basicPlus = try #require(year2023?["basic_plus"] as? Double)
            // The demo gives its eight districts only: 3,163,913 people and 4,445.48 × 10^8 CNY in 2023.
            let perCapita = basicPlus / 3_163_913, perGDP = basicPlus / (4445.48e8 / 1e4)
            let shown = String(format: "%.2f", perCapita), shownGDP = String(format: "%.2f", perGDP)

            let dashboard = try await client.execute(uri: "/", method: .get).text
            #expect(Self.first(#"Per resident, 2023</div><div class="value">([0-9.]+)<"#, in: dashboard) == shown)
            #expect(Self.first(#"Per unit of GDP, 2023</div><div class="value">([0-9.]+)<"#, in: dashboard) == shownGDP)

            let capita = try await client.execute(uri: "/api/v1/indicators/emissions_per_capita", method: .get).text
            #expect(Self.value(capita, year: 2023).map { abs($0 - perCapita) < 1e-9 } == true)
            let gdp = try await client.execute(uri: "/api/v1/indicators/emissions_per_gdp", method: .get).text
            #expect(Self.value(gdp, year: 2023).map { abs($0 - perGDP) < 1e-9 } == true)
            #expect(gdp.contains(#""unit":"t CO2e per 10^4 CNY""#))

            let scenario = try await client.execute(uri: "/pathways/demo-baseline", method: .get).text
            #expect(Self.first(#"Per person: ([0-9.]+) t in the base year"#, in: scenario) == shown, "the city's people counted once")
            #expect(Self.first(#"Per unit of GDP: ([0-9.]+) t per 10,000 CNY in the base year"#, in: scenario) == shownGDP)
        }
    }

    @Test("With the headline level set to BASIC, the dashboard and the indicators both divide the BASIC total")
    func headlineLevelIsTheCitysSetting() async throws {
        let database = try demoWorkspace()
        try CitySettingsRepository(database).set([("headline_level", "basic")], actor: "office")
        let basic = try #require(try InventoryRepository(database).latest(year: 2023)).totals(year: 2023).basic
        let shown = String(format: "%.2f", basic / 3_163_913)
        try await application(database).test(.router) { client in
            let dashboard = try await client.execute(uri: "/", method: .get).text
            #expect(Self.first(#"Per resident, 2023</div><div class="value">([0-9.]+)<"#, in: dashboard) == shown)
            #expect(dashboard.contains("t CO2e · BASIC<"))
            let capita = try await client.execute(uri: "/api/v1/indicators/emissions_per_capita", method: .get).text
            #expect(Self.value(capita, year: 2023).map { String(format: "%.2f", $0) } == shown)
        }
    }
}
