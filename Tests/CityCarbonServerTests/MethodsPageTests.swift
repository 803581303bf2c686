import CityCarbonStore
import Foundation
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// The methods page: how every published figure is counted, read from the data the figures use,
/// and reached from the figures themselves.
@Suite("How the figures are counted")
struct MethodsPageTests {
    @Test("The GWP table gives the IPCC's published 100-year values, the city's set first and marked in use")
    func gwpTable() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/methods", method: .get).text
            let table = try #require(page.firstMatch(of: /<table id="gwp-table">.*?<\/table>/)).output
            let head = table.matches(of: /<th scope="col">(.*?)<\/th>/).map { String($0.output.1) }
            #expect(head == ["Gas", "AR5 (in use)", "AR4", "AR6", "SAR"], "\(head)")
            // IPCC AR5 WG1 Table 8.A.1: CH4 28, N2O 265; AR4: 25, 298; AR6 Table 7.SM.7: CH4 27.9, N2O 273; SAR: 21, 310.
            #expect(table.contains(#"<tr><th scope="row">CH4</th><td class="n">28</td><td class="n">25</td><td class="n">27.9</td><td class="n">21</td></tr>"#))
            #expect(table.contains(#"<tr><th scope="row">N2O</th><td class="n">265</td><td class="n">298</td><td class="n">273</td><td class="n">310</td></tr>"#))
            #expect(!table.contains("CO2_biogenic"))
        }
    }

    @Test("A value keeps the decimals it was published with")
    func publishedDecimals() {
        #expect(MethodsPage.decimals(of: 28) == 0)
        #expect(MethodsPage.decimals(of: 27.9) == 1)
        #expect(MethodsPage.decimals(of: 0.0265) == 4)
        #expect(MethodsPage.decimals(of: 12_400) == 0)
        #expect(MethodsPage.decimals(of: 1.0 / 3) == 4)
    }

    @Test("The page says the headline level the settings choose and the lights of the published assessment")
    func settingsAndScheme() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/methods", method: .get).text
            #expect(page.contains("Headline figures on this site are BASIC+."))
            let scheme = try #require(try AssessmentRepository(database).all().last { $0.state == .published }?.scheme)
            #expect(page.contains("a total of \(Int(scheme.green)) or more is green, \(Int(scheme.amber)) or more amber"))
            let zh = try await client.execute(uri: "/methods?lang=zh-Hans", method: .get).text
            #expect(zh.contains("本市采用AR5") && !zh.contains("Headline figures"))
        }
    }

    @Test("Every link from a figure to the methods lands on a section of the page")
    func figureLinksLand() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let methods = try await client.execute(uri: "/methods", method: .get).text
            var anchors: Set<String> = []
            for path in ["/", "/?layer=per_capita", "/?layer=assessment", "/districts/Northbank", "/inventory/2023", "/targets", "/monitoring", "/assessments/2023"] {
                let page = try await client.execute(uri: path, method: .get).text
                let found = page.matches(of: /href="\/methods#([a-z-]+)"/).map { String($0.output.1) }
                #expect(!found.isEmpty, "\(path) links to no method")
                anchors.formUnion(found)
            }
            for anchor in anchors { #expect(methods.contains(#"<section id="\#(anchor)">"#), "no section \(anchor)") }
            #expect(anchors.isSuperset(of: ["levels", "per-resident", "targets", "assessment", "today", "notation-keys", "quality"]))
        }
    }
}
