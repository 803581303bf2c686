import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// Pages are written as ``HTML`` templates: text is escaped unless it is markup, so text from
/// the data shows as written and can never become markup, and markup is never shown as text.
@Suite("Templates escape by default")
struct TemplateEscapingTests {
    @Test func textInterpolatedIntoMarkupIsEscaped() {
        let name = #"<script>alert("x")</script> & 'y'"#
        let html: HTML = "<td title=\"\(name)\">\(name)</td>"
        #expect(html.markup == "<td title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;\">"
            + "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</td>")
    }

    @Test func markupInterpolatedIntoMarkupIsKept() {
        let link: HTML = "<a href=\"/plans\">\("Plans & actions")</a>"
        let item: HTML = "<li>\(link)</li>"
        #expect(item.markup == "<li><a href=\"/plans\">Plans &amp; actions</a></li>")
    }

    @Test func anAbsentPartIsNothingAndIntegersNeedNoEscaping() {
        let none: HTML? = nil
        let html: HTML = "<p>\(none)\(2023)\(Int64(-5))</p>"
        #expect(html.markup == "<p>2023-5</p>")
    }

    @Test func aPathSegmentIsPercentEncodedAndAQueryValueToo() {
        let html: HTML = "<a href=\"/plans/\(segment: "a/b\"c")?q=\(query: "x&y z")\">x</a>"
        #expect(html.markup == "<a href=\"/plans/a%2Fb%22c?q=x%26y%20z\">x</a>")
    }

    @Test func partsOfASequenceAreJoinedWithTheirSeparator() {
        let list = ["a", "<b>"].html(separator: " · ") { "<li>\($0)</li>" }
        #expect(list.markup == "<li>a</li> · <li>&lt;b&gt;</li>")
    }

    @Test func aTranslatedSentenceKeepsItsLinkAndEscapesItsWords() {
        let t = Localizer(.en)
        let sentence = t.html("overview.adopted", ["pathway": "<a href=\"/pathways/x\">\("A & B")</a>"])
        #expect(sentence.contains("<a href=\"/pathways/x\">A &amp; B</a>"))
        #expect(!sentence.contains("{pathway}"))
    }

    @Test("Escaped text read back is the text, for any text, and holds no character that ends an attribute or opens a tag")
    func escapingRoundTrips() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("<>&\"'; abc中文\u{0}\u{1F600}é\n=/")
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            let escaped = HTML(text: text).markup
            #expect(!escaped.contains { "<>\"'".contains($0) })
            let back = escaped.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
            #expect(back == text)
        }
    }

    /// Our own tags or attributes shown as text: markup that went through an escape it should not have.
    static let escapedMarkup = try! NSRegularExpression(
        pattern: #"&lt;/?(a|p|td|th|tr|span|li|ul|div|section|small|strong|svg|table|select|option|input|br|code|label|form|button|details|figure|i|b)[ >/]|&amp;(amp|lt|gt|quot|#39);|\sclass=&quot;"#)

    static func escapedMarkup(in page: String) -> String? {
        let range = NSRange(page.startIndex..., in: page)
        guard let match = Self.escapedMarkup.firstMatch(in: page, range: range), let found = Range(match.range, in: page) else { return nil }
        // With what stands around it, to find the template that wrote it.
        let from = page.index(found.lowerBound, offsetBy: -60, limitedBy: page.startIndex) ?? page.startIndex
        let to = page.index(found.upperBound, offsetBy: 60, limitedBy: page.endIndex) ?? page.endIndex
        return String(page[from..<to])
    }

    @Test("No page, public or staff, in any language, shows markup as text, and hostile names stay text")
    func noPageShowsMarkupAsText() async throws {
        let (database, _) = try PublishedOnlyTests.plantDrafts()
        let hostile = #"<em id="hostile">Org & "Co"</em>"#
        _ = try APIKeyRepository(database).create(name: hostile, role: .viewer, organisation: hostile, actor: "test")
        try AccountRepository(database, passwordCost: 4).create(username: "hostile", password: staffPassword, role: .viewer, organisation: hostile,
                                                                 jurisdictions: [], actor: "test")
        let table = RouteTable()
        try await application(database, routeTable: table).test(.router) { client in
            var urls = try PublishedOnlyTests.publicURLs(database, table: table)
            let staffPages = table.all.filter { $0.method == "GET" && $0.path.hasPrefix("/staff") && !$0.path.contains(":") }.map(\.path)
            #expect(staffPages.count > 10)
            urls += staffPages.flatMap { [$0, $0 + "?lang=zh-Hans"] } + ["/staff/inventories/2023", "/staff/plans/helsinki-2035",
                "/staff/inventories/2023/withdraw", "/staff/pathways/demo-planned", "/pathways/demo-planned?lang=fi"]
            let admin = try await signIn(client, "admin")
            var pages = 0
            for url in urls {
                let response = try await client.execute(uri: url, method: .get, headers: admin.headers)
                guard response.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                let page = String(buffer: response.body)
                let shown = Self.escapedMarkup(in: page)
                #expect(shown == nil, "\(url) shows markup as text: \(shown ?? "")")
                #expect(!page.contains(#"<em id="hostile">"#), "\(url) renders a name as markup")
                pages += 1
            }
            #expect(pages > 90)
            let keys = String(buffer: try await client.execute(uri: "/staff/api-keys", method: .get, headers: admin.headers).body)
            #expect(keys.contains("&lt;em id=&quot;hostile&quot;&gt;Org &amp; &quot;Co&quot;&lt;/em&gt;"))
        }
    }
}
