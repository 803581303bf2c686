import CarbonKit
import CarbonMarkets
import CityCarbonStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import CityCarbonServer

/// The review calendar's upper levels: a district checks its enterprises' deposited months, the
/// city closes checked months, and each level's overdue list holds only what it is late with.
@Suite("Evidence review: district check, city close, overdue lists")
struct EvidenceReviewTests {
    static let year = EmissionReportDeskTests.year

    @Test("Each level is late only for what the level below handed on")
    func overdueByLevel() throws {
        let calendar = EvidenceCalendar.standard
        let key = { (month: Int) in EvidenceCalendar.MonthKey(enterprise: "E", year: 2025, month: month) }
        let today = try #require(Day("2025-05-15"))   // January to March are past every level's deadline (Jan: 20 Feb, 25 Feb, 12 Mar)
        let deposited: Set = [key(1), key(2)], checked: Set = [key(1)], closed: Set<EvidenceCalendar.MonthKey> = []
        #expect(calendar.overdue(level: .enterprise, enterprises: ["E"], from: (2025, 1), today: today, deposited: deposited,
                                 checked: checked, closed: closed) == [key(3)])
        #expect(calendar.overdue(level: .district, enterprises: ["E"], from: (2025, 1), today: today, deposited: deposited,
                                 checked: checked, closed: closed) == [key(2)])
        #expect(calendar.overdue(level: .city, enterprises: ["E"], from: (2025, 1), today: today, deposited: deposited,
                                 checked: checked, closed: closed) == [key(1)])
    }

    @Test("Annual reports: unsubmitted after 1 February is the enterprise's, unchecked ten days later the district's, unclosed after 1 March the city's")
    func annualOverdue() throws {
        let calendar = EvidenceCalendar.standard
        let report = { (code: String) in EvidenceCalendar.MonthKey(enterprise: code, year: 2024, month: 0) }
        let submitted: Set = [report("B"), report("C")], checked: Set = [report("C")]
        func late(_ level: EvidenceCalendar.Level, on day: String) throws -> [String] {
            calendar.overdueReports(level: level, enterprises: ["A", "B", "C"], from: 2024, today: try #require(Day(day)), submitted: submitted,
                                    checked: checked, closed: []).map(\.enterprise)
        }
        #expect(try late(.enterprise, on: "2025-02-01").isEmpty, "the deadline day is still in time")
        #expect(try late(.enterprise, on: "2025-02-02") == ["A"])
        #expect(try late(.district, on: "2025-02-11").isEmpty && late(.district, on: "2025-02-12") == ["B"])
        #expect(try late(.city, on: "2025-03-02") == ["C"])
    }

    @Test("A district checks a deposited month of its own district; the office closes it; each step audited")
    func checkThenClose() async throws {
        let database = try EmissionReportDeskTests.workspace()
        try AccountRepository(database, passwordCost: 4).create(username: "northbank-officer", password: staffPassword, role: .editor,
                                                                organisation: "Northbank district office", jurisdictions: ["Northbank"], actor: "test")
        try await application(database).test(.router) { client in
            let district = try await signIn(client, "northbank-officer")
            let page = try await client.execute(uri: "/staff/evidence", method: .get, headers: district.headers)
            #expect(page.status == .ok && page.text.contains("Northbank Energy Co.") && !page.text.contains("East Harbour Steel Co."))
            let fields = [("enterprise", DemoEnterprises.power), ("year", String(Self.year)), ("month", "3")]
            let close = try await client.execute(uri: "/staff/evidence/close", method: .post, headers: district.formHeaders(), body: district.form(fields))
            #expect(close.status == .forbidden, "a district does not close for the city")
            let checked = try await client.execute(uri: "/staff/evidence/check", method: .post, headers: district.formHeaders(), body: district.form(fields))
            #expect(checked.status == .ok && checked.text.contains("checked for the district"))
            let steel = [("enterprise", DemoEnterprises.steel), ("year", String(Self.year)), ("month", "3")]
            let elsewhere = try await client.execute(uri: "/staff/evidence/check", method: .post, headers: district.formHeaders(), body: district.form(steel))
            #expect(elsewhere.status == .forbidden && elsewhere.text.contains("outside the districts you work for"))
            let admin = try await signIn(client, "admin")
            let november = [("enterprise", DemoEnterprises.steel), ("year", String(Self.year)), ("month", "11")]
            let nothing = try await client.execute(uri: "/staff/evidence/check", method: .post, headers: admin.formHeaders(), body: admin.form(november))
            #expect(nothing.status == .conflict && nothing.text.contains("has not deposited"))
            let unchecked = [("enterprise", DemoEnterprises.power), ("year", String(Self.year)), ("month", "4")]
            let early = try await client.execute(uri: "/staff/evidence/close", method: .post, headers: admin.formHeaders(), body: admin.form(unchecked))
            #expect(early.status == .conflict && early.text.contains("closes only checked months"))
            let closed = try await client.execute(uri: "/staff/evidence/close", method: .post, headers: admin.formHeaders(), body: admin.form(fields))
            #expect(closed.status == .ok && closed.text.contains("closed for the city"))
            let bad = try await client.execute(uri: "/staff/evidence/check", method: .post, headers: admin.formHeaders(),
                                               body: admin.form([("enterprise", DemoEnterprises.power), ("year", "99999"), ("month", "3")]))
            #expect(bad.status == .badRequest && bad.text.contains("year"))
        }
        let key = EvidenceCalendar.MonthKey(enterprise: DemoEnterprises.power, year: Self.year, month: 3)
        #expect(try EvidenceReviews(database).reviewed(.district).contains(key) && EvidenceReviews(database).reviewed(.city).contains(key))
        // The power plant's submitted report is checked as month 0; the steel works' unsubmitted one cannot be.
        try EvidenceReviews(database).review(DemoEnterprises.power, year: Self.year, month: 0, level: .district, by: "admin")
        #expect(throws: EvidenceReviews.Refusal.notSubmitted(enterprise: DemoEnterprises.steel, year: Self.year)) {
            try EvidenceReviews(database).review(DemoEnterprises.steel, year: Self.year, month: 0, level: .district, by: "admin")
        }
        #expect(try Set(AuditTrail(database).events(entity: "evidence_month").map(\.action)).isSuperset(of: ["evidence.check", "evidence.close"]))
    }
}
