import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// A language is only a file: each one found in `Resources/i18n` is complete, is offered on
/// every page, and writes numbers and dates its own way.
@Suite("Languages are files")
struct LanguageFileTests {
    /// The `{name}` placeholders of a message.
    static func placeholders(_ text: String) -> Set<String> { Set(text.matches(of: /\{[A-Za-z]+\}/).map { String($0.output) }) }

    @Test("Every language file has every key of the English file, with the same placeholders")
    func complete() {
        let english = Localizer(.en).strings
        #expect(Language.allCases.count >= 3)
        for language in Language.allCases where language != .en {
            let strings = Localizer(language).strings
            // Messages must all be there; of the conventions (`locale.*`) the required ones, the rest as the language needs.
            let messages = Set(strings.keys.filter { !$0.hasPrefix("locale.") }), englishMessages = Set(english.keys.filter { !$0.hasPrefix("locale.") })
            #expect(messages == englishMessages, "\(language): missing \(englishMessages.subtracting(messages).sorted().prefix(5))")
            for key in ["locale.name", "locale.date", "locale.money", "locale.groupSeparator", "locale.decimalSeparator"] {
                #expect(strings[key] != nil, "\(language) has no \(key)")
            }
            for (key, text) in english where !key.hasPrefix("locale.") {
                #expect(Self.placeholders(strings[key] ?? "") == Self.placeholders(text), "\(language) \(key)")
            }
        }
    }

    @Test("Each language writes numbers, money and dates in its own form")
    func conventions() throws {
        let fi = try #require(Language(rawValue: "fi"))
        #expect(Localizer(.en).number(1234.5, decimals: 1) == "1,234.5")
        #expect(Localizer(fi).number(-1234.5, decimals: 1) == "−1\u{A0}234,5")
        #expect(Localizer(.zhHans).money("10^4 CNY") == "万元")
        #expect(Localizer(.en).money("10^4 CNY") == "10,000 CNY")
        #expect(Localizer(fi).money("10^4 CNY") == "10\u{A0}000 CNY")
        #expect(Localizer(.en).date("2026-11-22T08:00:00Z") == "22 Nov 2026")
        #expect(Localizer(.zhHans).date("2026-11-22T08:00:00Z") == "2026年11月22日")
        #expect(Localizer(fi).date("2026-11-22T08:00:00Z") == "22.11.2026")
        #expect(Language(rawValue: "xx") == nil && Language(rawValue: "../en") == nil)
    }

    @Test("A browser asking for Finnish gets the Finnish dashboard; every page links each other language by its own name")
    func finnishPages() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "fi-FI,fi;q=0.9,en;q=0.5"]).text
            #expect(page.contains(#"<html lang="fi">"#) && page.contains("Yleiskatsaus"))
            #expect(page.contains(#"hreflang="en" lang="en">English</a>"#) && page.contains(#"hreflang="zh-Hans" lang="zh-Hans">中文</a>"#))
            let chinese = try await client.execute(uri: "/plans?lang=zh-Hans", method: .get).text
            #expect(chinese.contains(#"hreflang="fi" lang="fi">Suomi</a>"#))
            let unknown = try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "de-DE,zh-CN;q=0.8"]).text
            #expect(unknown.contains(#"<html lang="zh-Hans">"#))
        }
    }

    @Test("Accept-Language is read by weight: q=0 refuses a language, the heaviest the site has wins")
    func weights() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            for (header, lang) in [("fi;q=0, en;q=0.1", "en"), ("en;q=0,fi", "fi"), ("zh;q=0.5, fi;q=0.8", "fi"), ("de, zh-CN;q=0.9, fi;q=0.8", "zh-Hans"),
                                   ("*", "en"), ("fi;q=abc", "fi"), ("fi;q=1e308", "fi")] {
                let page = try await client.execute(uri: "/factors", method: .get, headers: [.acceptLanguage: header]).text
                #expect(page.contains(#"<html lang="\#(lang)">"#), "\(header)")
            }
        }
    }

    @Test("Indicator values are written in the page's number form: Finnish groups with a space and marks decimals with a comma")
    func finnishIndicatorNumbers() async throws {
        let database = try demoWorkspace()
        try await application(database).test(.router) { client in
            let list = try await client.execute(uri: "/indicators?lang=fi", method: .get).text
            #expect(list.contains("16\u{A0}101\u{A0}327") && !list.contains("16,101,327"))
            let detail = try await client.execute(uri: "/indicators/emissions_per_capita?lang=fi", method: .get).text
            #expect(detail.contains("5,77") && !detail.contains(">5.77<"))
        }
    }
}

