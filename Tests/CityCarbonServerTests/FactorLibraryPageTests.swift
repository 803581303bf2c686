import CityCarbonStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

@Suite("Factor library pages")
struct FactorLibraryPageTests {
    @Test("The library lists every set with its source; a set's page shows IPCC's 56,100 kg CO2/TJ for natural gas with its table")
    func browse() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            let list = try await client.execute(uri: "/factors", method: .get)
            #expect(list.status == .ok)
            #expect(list.text.contains(#"href="/factors/IPCC2006""#) && list.text.contains("grid:"))
            let set = try await client.execute(uri: "/factors/IPCC2006?fuel=natural_gas", method: .get)
            #expect(set.status == .ok)
            #expect(set.text.contains(#"<td class="n">56100</td>"#))
            #expect(set.text.contains("Table 1.4"))
            #expect(!set.text.contains("<td>gas_diesel_oil</td>") && !set.text.contains("<td>Gas/diesel oil</td>"))
            // Fuels and quantities by their names, not their keys; the filter still sends the key.
            #expect(set.text.contains("<tr><td>Natural gas</td>") && set.text.contains("<td>CO2 emission factor</td>") && !set.text.contains("<td>natural_gas</td>"))
            #expect(set.text.contains(#"<option value="natural_gas" selected>Natural gas</option>"#))
            let zh = try await client.execute(uri: "/factors/IPCC2006?fuel=natural_gas&lang=zh-Hans", method: .get)
            #expect(zh.text.contains("<tr><td>天然气</td>") && zh.text.contains("<td>CO2排放因子</td>"))
            // A grid set is titled by its publisher's region, and cites the publisher before where it was read.
            let grid = try await client.execute(uri: "/factors", method: .get)
            // (The Chinese parts of English data are marked as Chinese on an English page.)
            #expect(grid.text.contains(#"Grid electricity, <span lang="zh-Hans">安徽 </span>Anhui, 2022"#) && !grid.text.contains("Grid electricity cn_anhui"))
            #expect(grid.text.contains(#"<span lang="zh-Hans">生态环境部、国家统计局 关于发布2022年电力二氧化碳排放因子的公告 (</span>dated 2024-12-20, released 2024-12-26); read from"#))
            let chinese = try await client.execute(uri: "/factors?lang=zh-Hans", method: .get)
            #expect(chinese.text.contains("排放因子库"))
        }
    }

    @Test("A set downloads as CSV in the layout custom sets are imported from")
    func csv() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            let csv = try await client.execute(uri: "/api/v1/factor-sets/IPCC2006/factors?format=csv&fuel=natural_gas", method: .get)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.hasPrefix("fuel,quantity,value,unit,source,year,applies_to,technology,default,confidence,note\n"))
            #expect(csv.text.contains("\nnatural_gas,CO2,56100,kg/TJ,IPCC 2006 Guidelines Vol.2 Ch.1 Table 1.4"))
        }
    }

    @Test("An unknown set or fuel is 404")
    func unknown() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            let set = try await client.execute(uri: "/factors/IPCC2007", method: .get)
            #expect(set.status == .notFound)
            let fuel = try await client.execute(uri: "/factors/IPCC2006?fuel=natral_gas", method: .get)
            #expect(fuel.status == .notFound)
        }
    }
}

@Suite("Open data downloads")
struct OpenDataTests {
    @Test("A published year's activity data downloads as CSV in the import layout, and re-imports to the same rows")
    func activitiesCSV() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let csv = try await client.execute(uri: "/api/v1/activities?year=2022&format=csv", method: .get)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = csv.text.split(separator: "\n")
            #expect(lines[0].hasPrefix("year,jurisdiction,gpc_ref,fuel,technology,amount,unit"))
            #expect(lines.count - 1 == (try ActivityRepository(database).load(year: 2022).count))
            // The download is valid input: it passes the same checks as an import.
            _ = try ActivityRepository(database).validate(Array(csv.text.utf8), file: "download.csv")
            let unpublished = try await client.execute(uri: "/api/v1/activities?year=2016&format=csv", method: .get)
            #expect(unpublished.status == .notFound)
        }
    }

    @Test("Statistics download as CSV; the dashboard links every open table")
    func statisticsCSV() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let city = try await client.execute(uri: "/api/v1/jurisdictions/Demo%20City/statistics?format=csv", method: .get)
            // The demo's statistics office gives districts only: the city's rows are their sums, marked derived.
            let lines = city.text.split(separator: "\n")
            #expect(lines.first?.hasPrefix("year,population,gdp,gdp_unit,source,derived,gdp_constant,") == true && lines.count == 10, "2015–2023")
            #expect(lines.contains { $0.hasPrefix("2023,3163913,4445.48,10^8 CNY,sum of the 8 jurisdictions below Demo City,true,") })
            let csv = try await client.execute(uri: "/api/v1/jurisdictions/Harbour/statistics?format=csv", method: .get)
            #expect(csv.text.hasPrefix("year,population,gdp,gdp_unit,source,derived,") && csv.text.contains("\n2015,") && csv.text.contains(",false,"))
            let page = try await client.execute(uri: "/", method: .get)
            for link in ["/api/v1/activities?year=2023&amp;format=csv", "/statistics?format=csv", "/api/v1/boundaries", "/factors"] {
                #expect(page.text.contains(link), "\(link)")
            }
        }
    }
}
