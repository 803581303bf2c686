import CarbonAccounting
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// The drill-down's last step: a reference of a published inventory by fuel, adding up to the
/// figure the inventory shows.
@Suite("Sector → sub-sector → fuel")
struct FuelBreakdownTests {
    @Test("For every reported reference of every district and the city, the fuels add up to the inventory's figure")
    func fuelsAddUpToTheInventory() throws {
        let database = try demoWorkspace()
        let year = try #require(try PublicationRepository(database).publishedYears().last)
        let inventory = try #require(try InventoryCache(database).published(year: year))
        let repository = InventoryRepository(database)
        var checked = 0
        for place in [nil] + inventory.jurisdictions.map(\.name).prefix(3) {
            let cells = inventory.cells(year: year, jurisdiction: place).filter { $0.rows > 0 }
            for ref in Set(cells.map(\.gpcRef)).sorted() {
                let shown = cells.filter { $0.gpcRef == ref }.reduce(0) { $0 + $1.co2eTonnes }
                let breakdown = try #require(try repository.publishedFuelBreakdown(year: year, jurisdiction: place, gpcRef: ref))
                #expect(abs(breakdown.co2eTonnes - shown) <= 1e-9 * max(1, abs(shown)), "\(ref) in \(place ?? "the city"): \(breakdown.co2eTonnes) ≠ \(shown)")
                #expect(breakdown.parts.map(\.rows).reduce(0, +) == cells.filter { $0.gpcRef == ref }.reduce(0) { $0 + $1.rows })
                checked += 1
            }
        }
        #expect(checked > 20)
    }

    @Test("A sub-sector adds up its references, and its fuels come largest first")
    func aSubSectorByFuel() throws {
        let database = try demoWorkspace()
        let year = try #require(try PublicationRepository(database).publishedYears().last)
        let inventory = try #require(try InventoryCache(database).published(year: year))
        let breakdown = try #require(try InventoryRepository(database).publishedFuelBreakdown(year: year, jurisdiction: nil, gpcRef: "I.1"))
        let shown = inventory.cells(year: year).filter { $0.gpcRef.hasPrefix("I.1.") }.reduce(0) { $0 + $1.co2eTonnes }
        #expect(abs(breakdown.co2eTonnes - shown) <= 1e-9 * shown)
        #expect(breakdown.parts.count > 1)
        #expect(zip(breakdown.parts, breakdown.parts.dropFirst()).allSatisfy { $0.co2eTonnes >= $1.co2eTonnes })
    }

    @Test("The inventory table links each reported reference to its fuels; the page names fuels and shows the same total")
    func thePageFromTheTable() async throws {
        let database = try demoWorkspace()
        let year = try #require(try PublicationRepository(database).publishedYears().last)
        let inventory = try #require(try InventoryCache(database).published(year: year))
        let district = inventory.jurisdictions[1].name
        let shown = inventory.cells(year: year, jurisdiction: district).filter { $0.gpcRef == "I.1.1" }.reduce(0) { $0 + $1.co2eTonnes }
        try await application(database).test(.router) { client in
            let encoded = district.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let table = try await client.execute(uri: "/inventory/\(year)?jurisdiction=\(encoded)", method: .get).text
            #expect(table.contains("<a href=\"/inventory/\(year)/fuels?ref=I.1.1&amp;jurisdiction=\(encoded)\""))
            let page = try await client.execute(uri: "/inventory/\(year)/fuels?ref=I.1.1&jurisdiction=\(encoded)", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("<td class=\"n\">\(Localizer(.en).number(shown, decimals: 1))</td>"))
            #expect(page.text.contains("Natural gas") && !page.text.contains(">natural_gas<"))
            let chinese = try await client.execute(uri: "/inventory/\(year)/fuels?ref=I.1.1&lang=zh-Hans", method: .get).text
            #expect(chinese.contains("天然气"))
        }
    }

    @Test("A reference that is none or a sector alone is a 400 naming the field; an unknown district, an unpublished year or a reference reported only by a notation key is a 404")
    func refusals() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            for uri in ["/inventory/2023/fuels?ref=I.9.9", "/inventory/2023/fuels?ref=I", "/inventory/2023/fuels?ref=..%2F", "/inventory/2023?sector=VII",
                        "/inventory/2023?compare=-5"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(response.text.contains(uri.contains("sector") ? "sector" : uri.contains("compare") ? "compare" : "ref"), "\(uri)")
            }
            for (uri, named) in [("/inventory/2023/fuels?ref=I.1.1&jurisdiction=Atlantis", "Atlantis"), ("/inventory/1999/fuels?ref=I.1.1", "1999"),
                                 ("/inventory/2023/fuels?ref=II.5.1", "II.5.1")] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.text.contains(named), "\(uri)")
            }
        }
    }

    @Test("A district whose name has a space links to its own sectors in the inventory, encoded once")
    func aNameWithASpace() async throws {
        let database = try demoWorkspace()
        let name = try #require(try JurisdictionRepository(database).tree().order.first { $0.contains(" ") && $0 != "Demo City" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/districts/\(encoded)", method: .get).text
            #expect(page.contains("href=\"/inventory/2023?jurisdiction=\(encoded)&amp;sector=I\""))
            #expect(try await client.execute(uri: "/inventory/2023?jurisdiction=\(encoded)&sector=I", method: .get).status == .ok)
        }
    }
}
