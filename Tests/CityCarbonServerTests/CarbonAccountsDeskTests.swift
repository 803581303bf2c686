import CarbonKit
import CarbonMarkets
import CityCarbonPages
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonServer

/// The regulator's carbon-account desk and the public disclosure, through their pages: the demo
/// power plant's settled year, the grades and the supervision list, bulk sheets with named
/// errors, and a disclosure that never shows a report still in review.
@Suite("Carbon-account desk and disclosure")
struct CarbonAccountsDeskTests {
    static let settled = DemoEnterprises.settledYear

    func post(_ client: some TestClientProtocol, _ browser: Browser, _ path: String, _ fields: [(String, String)]) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: browser.formHeaders(), body: browser.form(fields))
    }

    func upload(_ client: some TestClientProtocol, _ browser: Browser, _ path: String, _ name: String, _ content: String,
                year: Int = settled) async throws -> TestResponse {
        let form = multipart([("csrf", browser.csrf), ("year", String(year))], file: (name: "file", filename: name, content: content))
        return try await client.execute(uri: path, method: .post, headers: [.cookie: browser.cookie, .contentType: form.contentType], body: form.body)
    }

    @Test("The settled year: Northbank's verified emissions, allocation after true-up, its surrender and code B with the shortfall")
    func settledYear() async throws {
        let database = try EmissionReportDeskTests.workspace()
        let position = try #require(try CarbonAccounts(database).compliance(year: Self.settled, on: Day.today).first { $0.enterprise == DemoEnterprises.power })
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let page = try await client.execute(uri: "/staff/compliance?year=\(Self.settled)", method: .get, headers: admin.headers)
            #expect(page.status == .ok && page.text.contains("Northbank Energy Co.") && page.text.contains("B: short"))
            #expect(page.text.contains(Localizer(.en).whole(Int64(position.toSurrender.rounded(.up)))))
            #expect(page.text.contains("Pre-allocation") && page.text.contains("Final (true-up)"))
            let again = try await post(client, admin, "/staff/compliance/allocate", [("year", String(Self.settled)), ("enterprise", DemoEnterprises.power), ("stage", "pre")])
            #expect(again.status == .conflict && again.text.contains("has its pre allocation for \(Self.settled) already"))
            let nothing = try await post(client, admin, "/staff/compliance/allocate", [("year", "2020"), ("enterprise", DemoEnterprises.power), ("stage", "pre")])
            #expect(nothing.status == .conflict && nothing.text.contains("no supply or heat was deposited for unit-1 in 2019"))
            let reporter = try await signIn(client, "power")
            #expect(try await client.execute(uri: "/staff/compliance", method: .get, headers: reporter.headers).status == .forbidden)
            let badYear = try await client.execute(uri: "/staff/compliance?year=1e308", method: .get, headers: admin.headers)
            #expect(badYear.status == .badRequest && badYear.text.contains("year"))
        }
    }

    @Test("The grades page lists the supervision list and the summaries, and a wrong enterprise-years sheet is refused by row and column")
    func gradesAndSheet() async throws {
        let database = try EmissionReportDeskTests.workspace()
        let supervised = try CarbonAccounts(database).efficiency(year: Self.settled).supervisionList.map(\.input.name)
        #expect(!supervised.isEmpty)
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let page = try await client.execute(uri: "/staff/efficiency?year=\(Self.settled)", method: .get, headers: admin.headers)
            #expect(page.status == .ok && supervised.allSatisfy { page.text.contains($0) })
            #expect(page.text.contains("id=\"by-district\"") && page.text.contains("id=\"by-industry\""))
            let bad = try await upload(client, admin, "/staff/efficiency/years", "years.csv",
                                       "credit_code,year,value_added_10k_cny\n\(DemoEnterprises.power),2023,100\n\(DemoEnterprises.power),2024,NaN\n")
            #expect(bad.status == .badRequest && bad.text.contains("value_added_10k_cny") && bad.text.contains("NaN"))
            #expect(try CarbonAccounts(database).years(DemoEnterprises.power).allSatisfy { $0.year != 2023 }, "nothing of the sheet was kept")
            let good = try await upload(client, admin, "/staff/efficiency/years", "years.csv",
                                        "credit_code,year,value_added_10k_cny,energy_co2_t\n\(DemoEnterprises.power),2023,100,50\n")
            #expect(good.status == .ok && good.text.contains("1 enterprise years loaded."))
        }
    }

    @Test("An enterprise deposits months in bulk for itself; a row for another enterprise is named and nothing is kept; a verifier deposits nothing")
    func bulkEvidence() async throws {
        let database = try EmissionReportDeskTests.workspace()
        let header = "credit_code,facility,year,month,source,amount,ncv,carbon_content,supply,generation,operating_hours,load_factor\n"
        try await application(database).test(.router) { client in
            let power = try await signIn(client, "power")
            let mixed = header + "\(DemoEnterprises.power),unit-1,2019,1,coal,30000,21.5,0.0262,60000,64000,700,0.8\n"
                + "\(DemoEnterprises.steel),bf-1,2019,1,coke,100,,,,,,\n"
            let refused = try await upload(client, power, "/staff/reports/evidence", "evidence.csv", mixed)
            #expect(refused.status == .badRequest && refused.text.contains("credit_code") && refused.text.contains(DemoEnterprises.steel))
            #expect(try EmissionReports(database).months(DemoEnterprises.power, year: 2019).isEmpty)
            let own = header + "\(DemoEnterprises.power),unit-1,2019,1,coal,30000,21.5,0.0262,60000,64000,700,0.8\n"
                + "\(DemoEnterprises.power),unit-1,2019,1,coal,1000,20.1,,,,,\n"
            let kept = try await upload(client, power, "/staff/reports/evidence", "evidence.csv", own)
            #expect(kept.status == .ok && kept.text.contains("1 months deposited from evidence.csv."))
            #expect(try EmissionReports(database).months(DemoEnterprises.power, year: 2019).first?.batches.count == 2)
            let verifier = try await signIn(client, "verifier2")
            #expect(try await upload(client, verifier, "/staff/reports/evidence", "evidence.csv", own).status == .forbidden)
        }
    }

    @Test("Disclosure lists listed and state-owned enterprises first, with accepted figures only, on the page, in JSON and in CSV")
    func disclosure() async throws {
        let database = try EmissionReportDeskTests.workspace()
        // The power plant's report for last year is submitted, not accepted: its total must not be public anywhere.
        let pending = try #require(try EmissionReports(database).version(DemoEnterprises.power, year: EmissionReportDeskTests.year, version: 1))
        let marker = Localizer(.en).whole(Int64(pending.report.total.rounded()))
        let markerPlain = String(Int64(pending.report.total.rounded()))
        let verified = try #require(try EmissionReports(database).verifiedEmissions(DemoEnterprises.power, year: Self.settled))
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/disclosure", method: .get)
            #expect(page.status == .ok && page.text.contains("Northbank Energy Co.") && page.text.contains("West Hills Building Materials Co."))
            #expect(!page.text.contains("Riverside Power Co."), "neither listed, state-owned nor disclosing by choice")
            let order = ["East Harbour Steel Co.", "Lakeside Thermal Power Co.", "Northbank Energy Co.", "West Hills Building Materials Co."]
            let positions = order.compactMap { page.text.range(of: $0)?.lowerBound }
            #expect(positions.count == 4 && positions == positions.sorted(), "those that must disclose come first, by name")
            let detail = try await client.execute(uri: "/disclosure/\(DemoEnterprises.power)", method: .get)
            #expect(detail.status == .ok && detail.text.contains(Localizer(.en).whole(Int64(verified.rounded()))))
            let json = try await client.execute(uri: "/api/v1/disclosure", method: .get)
            expectConforms(json, path: "/api/v1/disclosure")
            let csv = try await client.execute(uri: "/api/v1/disclosure.csv", method: .get)
            #expect(csv.status == .ok && csv.text.hasPrefix(DisclosurePages.csvColumns.joined(separator: ",") + "\r\n"))
            #expect(csv.text.contains("\(DemoEnterprises.power),Northbank Energy Co.,4411,Northbank,no,yes,\(Self.settled),"))
            for (name, body) in [("page", page.text), ("detail", detail.text), ("json", json.text), ("csv", csv.text)] {
                #expect(!body.contains(marker) && !body.contains(markerPlain), "\(name) shows the total of a report still in review")
            }
            #expect(try await client.execute(uri: "/disclosure/91330100MA2DEM005X", method: .get).status == .notFound)
        }
    }
}

/// The MRV desk for an enterprise's own systems, by API key.
@Suite("Enterprise API")
struct EnterpriseAPITests {
    @Test("An enterprise's key deposits its months as CSV and reads its report; another enterprise's report is forbidden")
    func depositAndRead() async throws {
        let database = try EmissionReportDeskTests.workspace()
        let keys = APIKeyRepository(database)
        let power = try keys.create(name: "northbank-dcs", role: .reporter, organisation: DemoEnterprises.power, jurisdictions: ["Northbank"], actor: "admin").secret
        let csv = "credit_code,facility,year,month,source,amount,ncv,supply,generation,operating_hours,load_factor\n"
            + "\(DemoEnterprises.power),unit-1,2019,1,coal,30000,21.5,60000,64000,700,0.8\n"
        try await application(database).test(.router) { client in
            let deposited = try await client.execute(uri: "/api/v1/evidence?file=dcs-2019-01.csv", method: .post,
                                                     headers: [.authorization: "Bearer \(power)", .contentType: "text/csv"], body: ByteBuffer(string: csv))
            expectConforms(deposited, path: "/api/v1/evidence", method: "post", status: "201")
            #expect(deposited.status == .created && deposited.json["months"]?.number == 1)
            let other = csv.replacingOccurrences(of: "\(DemoEnterprises.power),unit-1", with: "\(DemoEnterprises.steel),bf-1")
            let refused = try await client.execute(uri: "/api/v1/evidence", method: .post,
                                                   headers: [.authorization: "Bearer \(power)", .contentType: "text/csv"], body: ByteBuffer(string: other))
            #expect(refused.status == .badRequest && refused.text.contains("credit_code"))
            let frozen = csv.replacingOccurrences(of: ",2019,", with: ",\(EmissionReportDeskTests.year),")
            let late = try await client.execute(uri: "/api/v1/evidence", method: .post,
                                                headers: [.authorization: "Bearer \(power)", .contentType: "text/csv"], body: ByteBuffer(string: frozen))
            #expect(late.status == .conflict && late.text.contains("submitted"), "last year's report is submitted: its months are frozen")
            let report = try await client.execute(uri: "/api/v1/reports/\(DemoEnterprises.power)/\(EmissionReportDeskTests.year)", method: .get,
                                                  headers: [.authorization: "Bearer \(power)"])
            expectConforms(report, path: "/api/v1/reports/{code}/{year}")
            #expect(report.json["status"]?.string == "submitted" && report.json["version"]?.number == 1)
            let theirs = try await client.execute(uri: "/api/v1/reports/\(DemoEnterprises.steel)/\(EmissionReportDeskTests.year)", method: .get,
                                                  headers: [.authorization: "Bearer \(power)"])
            #expect(theirs.status == .forbidden && !theirs.text.contains("East Harbour"))
        }
        #expect(try EmissionReports(database).months(DemoEnterprises.power, year: 2019).count == 1)
        #expect(try AuditTrail(database).events(entity: "evidence_month").contains { $0.actor == "api-key:northbank-dcs" })
    }
}
