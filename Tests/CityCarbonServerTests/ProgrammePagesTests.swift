import CityCarbonStore
import ClimatePlans
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

@Suite("Targets, assessments, pilots and yearly reports on the web")
struct ProgrammePagesTests {
    @Test("In Chinese, targets and pathways write megatonnes as 百万吨, never Mt")
    func chineseMegatonnes() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            for path in ["/targets?lang=zh-Hans", "/pathways?lang=zh-Hans", "/pathways/demo-planned?lang=zh-Hans"] {
                let page = try await client.execute(uri: path, method: .get)
                let text = page.text.replacingOccurrences(of: #"<[^>]*>"#, with: " ", options: .regularExpression)
                #expect(text.contains("百万吨"), "\(path)")
                #expect(!text.contains(" Mt"), "\(path)")
            }
        }
    }

    @Test("The targets page shows the peak target off track with its district and sector shares; the API matches its schema")
    func targets() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            let page = try await client.execute(uri: "/targets", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("16.79 Mt (2015)") && page.text.contains("13.43 Mt (2030)"))
            #expect(page.text.contains(#"id="allocation-peak-2030-jurisdiction""#) && page.text.contains(#"id="allocation-peak-2030-sector""#))
            #expect(page.text.contains("handed down, number pending"))
            let api = try await client.execute(uri: "/api/v1/targets", method: .get)
            expectConforms(api, path: "/api/v1/targets")
            #expect(api.text.contains(#""status":"off_track""#))
        }
    }

    @Test("A published assessment shows ranks, lights and evidence; a draft year is not public")
    func assessments() async throws {
        let database = try demoWorkspace()
        let scheme = try #require(try AssessmentRepository(database).assessment(year: 2023)).scheme
        let scores = String(decoding: try DemoCity.data("assessment-2023-scores.csv"), as: UTF8.self).replacingOccurrences(of: "2023", with: "2022")
        try AssessmentRepository(database).run(year: 2022, scheme: scheme, scores: Array(scores.utf8), file: "s.csv", actor: "test")
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/assessments/2023", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<tr data-district="Harbour"><td class="n">1</td>"#))
            #expect(page.text.contains("19 of 20 tasks done"))
            let api = try await client.execute(uri: "/api/v1/assessments/2023", method: .get)
            expectConforms(api, path: "/api/v1/assessments/{year}")
            let draft = try await client.execute(uri: "/api/v1/assessments/2022", method: .get)
            #expect(draft.status == .notFound)
            expectConforms(draft, path: "/api/v1/assessments/{year}", status: "404", media: "application/problem+json")
            let list = try await client.execute(uri: "/api/v1/assessments", method: .get)
            expectConforms(list, path: "/api/v1/assessments")
            #expect(!list.text.contains("2022"))
        }
    }

    @Test("The climate office freezes and then publishes a year from the staff page")
    func freezeAndPublish() async throws {
        let (database, _, _) = try staffWorkspace()
        let scheme = try #require(try AssessmentRepository(database).assessment(year: 2023)).scheme
        let scores = String(decoding: try DemoCity.data("assessment-2023-scores.csv"), as: UTF8.self).replacingOccurrences(of: "2023", with: "2022")
        try AssessmentRepository(database).run(year: 2022, scheme: scheme, scores: Array(scores.utf8), file: "s.csv", actor: "test")
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let early = try await client.execute(uri: "/staff/assessments/2022/publish", method: .post, headers: admin.formHeaders(), body: admin.form())
            #expect(early.status == .conflict)
            let frozen = try await client.execute(uri: "/staff/assessments/2022/freeze", method: .post, headers: admin.formHeaders(), body: admin.form())
            #expect(frozen.text.contains("The 2022 results are frozen"))
            _ = try await client.execute(uri: "/staff/assessments/2022/publish", method: .post, headers: admin.formHeaders(), body: admin.form())
            let page = try await client.execute(uri: "/assessments/2022", method: .get)
            #expect(page.status == .ok)
        }
    }

    @Test("The pilots page counts active pilots against the goals; the API matches its schema")
    func pilots() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            let page = try await client.execute(uri: "/pilots", method: .get)
            #expect(page.text.contains(#"<tr data-kind="county"><td>county</td><td class="n">3–5</td><td class="n">1</td>"#))
            #expect(page.text.contains("rectification failed"))
            let api = try await client.execute(uri: "/api/v1/pilots", method: .get)
            expectConforms(api, path: "/api/v1/pilots")
        }
    }

    @Test("The climate office freezes a yearly report; its page, CSVs and JSON serve that snapshot, compared with the year before")
    func report() async throws {
        let (database, _, _) = try staffWorkspace()
        try PlanReport.build(database: database, plan: "helsinki-2035", year: 2022, actor: "test")
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let build = try await client.execute(uri: "/staff/plans/helsinki-2035/reports", method: .post, headers: admin.formHeaders(), body: admin.form([("year", "2023")]))
            #expect(build.status == .seeOther && build.headers[.location] == "/plans/helsinki-2035/reports/2023")
            let page = try await client.execute(uri: "/plans/helsinki-2035/reports/2023", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("Against 2022") && page.text.contains(#"id="report-ranking""#) && page.text.contains("All 147 actions"))
            let csv = try await client.execute(uri: "/plans/helsinki-2035/reports/2023/actions.csv", method: .get)
            #expect(csv.text.split(separator: "\n").count == 148)
            let indicators = try await client.execute(uri: "/plans/helsinki-2035/reports/2023/indicators.csv", method: .get)
            #expect(!indicators.text.contains(",2024,") && indicators.text.contains("emissions_per_capita"))
            let api = try await client.execute(uri: "/api/v1/plans/helsinki-2035/reports/2023", method: .get)
            expectConforms(api, path: "/api/v1/plans/{plan}/reports/{year}")
            let future = try await client.execute(uri: "/staff/plans/helsinki-2035/reports", method: .post, headers: admin.formHeaders(), body: admin.form([("year", "2999")]))
            #expect(future.status == .badRequest)
        }
    }

    @Test("A report frozen with the audit key quotes the signed chain head on its page and in its JSON, and the head holds")
    func reportCarriesTheSignedAuditHead() async throws {
        let (database, _, _) = try staffWorkspace()
        let key = AuditKey.generate()
        let report = try PlanReport.build(database: database, plan: "helsinki-2035", year: 2022, actor: "test", key: key)
        let checkpoint = try #require(report.checkpoint)
        let head = try AuditTrail(database).head()
        #expect(checkpoint.isSigned(by: key.publicKeyHex) && checkpoint.event == head.event)
        #expect(try AuditTrail(database).problems(against: [checkpoint], trusting: key.publicKeyHex).isEmpty)
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/plans/helsinki-2035/reports/2022", method: .get)
            #expect(page.text.contains(#"id="audit-checkpoint""#) && page.text.contains(checkpoint.hash) && page.text.contains(checkpoint.signature))
            let api = try await client.execute(uri: "/api/v1/plans/helsinki-2035/reports/2022", method: .get)
            expectConforms(api, path: "/api/v1/plans/{plan}/reports/{year}")
            #expect(api.text.contains(#""signature":"\#(checkpoint.signature)""#))
        }
    }

    @Test("A report built without a key has no checkpoint, says nothing about one, and its JSON gives null")
    func reportWithoutKeyHasNoCheckpoint() async throws {
        let (database, _, _) = try staffWorkspace()
        #expect(try PlanReport.build(database: database, plan: "helsinki-2035", year: 2022, actor: "test").checkpoint == nil)
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/plans/helsinki-2035/reports/2022", method: .get)
            #expect(!page.text.contains(#"id="audit-checkpoint""#))
            let api = try await client.execute(uri: "/api/v1/plans/helsinki-2035/reports/2022", method: .get)
            #expect(api.text.contains(#""audit_checkpoint":null"#))
        }
    }

    @Test("A frozen report rewritten in the database is found: its document no longer hashes to its digest, or its digest is not the one audited")
    func rewrittenReportIsFound() throws {
        let (database, _, _) = try staffWorkspace()
        try PlanReport.build(database: database, plan: "helsinki-2035", year: 2022, actor: "test")
        let repository = PlanReportRepository(database)
        #expect(try repository.problems().isEmpty)
        try database.write { db in try db.execute(sql: "UPDATE plan_report SET document = replace(document, 'helsinki', 'helsinkj')") }
        let rewritten = try repository.problems()
        #expect(rewritten.count == 1 && rewritten[0].hasPrefix("report helsinki-2035/2022/v1") && rewritten[0].contains("no longer hashes"))
        // Re-hashing the rewritten document does not hide it: the audit event kept the digest it was frozen with.
        let document = try database.read { db in try String.fetchOne(db, sql: "SELECT document FROM plan_report")! }
        let digest = PlanReportRepository.digest(of: document)
        try database.write { db in try db.execute(sql: "UPDATE plan_report SET digest = ?", arguments: [digest]) }
        let rehashed = try repository.problems()
        #expect(rehashed.count == 1 && rehashed[0].contains("not the one recorded"))
    }

    @Test("The indicator catalogue carries emissions per person, per unit of GDP and by sector from the published inventories")
    func emissionIndicators() async throws {
        try await application(demoWorkspace()).test(.router) { client in
            let perCapita = try await client.execute(uri: "/api/v1/indicators/emissions_per_capita", method: .get)
            #expect(perCapita.status == .ok)
            expectConforms(perCapita, path: "/api/v1/indicators/{indicator}")
            let sector = try await client.execute(uri: "/api/v1/indicators/emissions_sector_I", method: .get)
            #expect(sector.text.contains(#""source":"inventory:basic_plus_total""#))
        }
    }
}

@Suite("Emissions indicators by hand")
struct EmissionIndicatorArithmeticTests {
    @Test("Per person is the published 2023 BASIC+ total over the summed district population")
    func perCapita() async throws {
        let database = try demoWorkspace()
        let emissions = try #require(try InventoryRepository(database).latest(year: 2023)).totals(year: 2023).basicPlus
        let population = try StatisticsRepository(database).all(edition: .published).filter { $0.year == 2023 }.compactMap(\.population).reduce(0, +)
        try await application(database).test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/indicators/emissions_per_capita", method: .get)
            let last = response.json["values"]?.array?.last
            #expect(last?["year"]?.number == 2023)
            #expect(abs((last?["value"]?.number ?? 0) - emissions / population) < 1e-9)
        }
    }
}
