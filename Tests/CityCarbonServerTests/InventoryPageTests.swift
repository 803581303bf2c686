import CarbonAccounting
import CityCarbonStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

@Suite("Inventory page")
struct InventoryPageTests {
    @Test("The GPC table of a year: totals as the engine computes them, every reference with data, compared with the year before")
    func table() async throws {
        let database = try demoWorkspace()
        let inventory = try #require(try InventoryRepository(database).latest(year: 2023))
        let t = Localizer(.en)
        try await application(database).test(.router) { client in
            try await client.execute(uri: "/inventory/2023", method: .get) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains(#"<td class="n">\#(t.number(inventory.totals(year: 2023).basic, decimals: 0))</td>"#))
                for ref in ["I.1.1", "I.4.4", "II.4.1", "III.1.1", "IV.2"] {
                    // A reported reference leads on to its fuels; one with only a notation key has none.
                    #expect(html.contains(#"<th scope="row"><a href="/inventory/2023/fuels?ref=\#(ref)" title="By fuel">\#(ref)</a></th>"#)
                        || html.contains(#"<th scope="row">\#(ref)</th>"#), "\(ref)")
                }
                #expect(html.contains(#"<a href="/inventory/2023/fuels?ref=I.1.1" title="By fuel">I.1.1</a>"#))
                #expect(html.contains("2022 (t CO2e)"), "compared with the previous published year by default")
                #expect(html.contains("IE → II.1.1"))
                #expect(html.contains("<td>NE</td>"))
                // The totals table says what each column is: the year and its unit, the year compared, the change.
                #expect(html.contains(#"<caption>Totals</caption><thead><tr><th scope="col">Measure</th><th scope="col">2023 (t CO2e)</th>"#
                    + #"<th scope="col">2022 (t CO2e)</th><th scope="col">Change</th></tr></thead>"#))
            }
        }
    }

    @Test("Filtering by district and by sector narrows the table and its totals")
    func filters() async throws {
        let database = try demoWorkspace()
        let inventory = try #require(try InventoryRepository(database).latest(year: 2023))
        let harbour = Localizer(.en).number(inventory.totals(year: 2023, jurisdiction: "Harbour").basic, decimals: 0)
        try await application(database).test(.router) { client in
            try await client.execute(uri: "/inventory/2023?jurisdiction=Harbour&compare=none", method: .get) { response in
                #expect(response.text.contains(#"<td class="n">\#(harbour)</td>"#))
                #expect(!response.text.contains("(t CO2e)</th><th scope=\"col\">Change"))
                #expect(response.text.contains(#"<option value="Harbour" selected>"#))
            }
            try await client.execute(uri: "/inventory/2023?sector=II", method: .get) { response in
                #expect(response.text.contains(#">II.1.1</a></th>"#))
                #expect(!response.text.contains(#">I.1.1</a></th>"#))
            }
        }
    }

    @Test("中文 keeps the filters when switching; unpublished years and unknown districts are 404")
    func languageAndErrors() async throws {
        let database = try demoWorkspace()
        try PublicationRepository(database).withdraw(year: 2021)
        try await application(database).test(.router) { client in
            try await client.execute(uri: "/inventory/2023?sector=III&lang=zh-Hans", method: .get) { response in
                #expect(response.text.contains("合计（吨二氧化碳当量）"))
                #expect(response.text.contains("sector=III"))
                #expect(response.text.contains("lang=en"))
            }
            try await client.execute(uri: "/inventory/2021", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/inventory/2023?jurisdiction=Atlantis", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
