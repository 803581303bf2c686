import Foundation

/// The frame of every public page: title, navigation, the language switch (keeping the page's
/// own query), the stylesheet, and the footer.
package enum Layout {
    /// A link to this page in each other language, named in that language and keeping the
    /// page's own query.
    package static func languageSwitch(_ t: Localizer, query: [(String, String)]) -> String {
        Language.allCases.filter { $0 != t.language }.map { other in
            let q = (query.filter { $0.0 != "lang" } + [("lang", other.rawValue)]).map { name, value in
                "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)"
            }.joined(separator: "&")
            return #"<a class="lang" href="?\#(Markup.escape(q))" hreflang="\#(other.htmlCode)" lang="\#(other.htmlCode)">\#(Markup.escape(Localizer(other).languageName))</a>"#
        }.joined()
    }

    package static func page(_ t: Localizer, title: String, body: String, query: [(String, String)], footer: String) -> String {
        return """
            <!doctype html><html lang="\(t.language.htmlCode)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">\
            <title>\(Markup.escape(title))</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/site.css"></head><body>\
            <a class="skip" href="#main">\(Markup.escape(t("nav.skip")))</a>\
            <header><h1>\(Markup.escape(title))</h1><nav><a href="/">\(Markup.escape(t("nav.dashboard")))</a>\
            <a href="/plans">\(Markup.escape(t("nav.plans")))</a><a href="/indicators">\(Markup.escape(t("nav.indicators")))</a><a href="/targets">\(Markup.escape(t("nav.targets")))</a><a href="/districts">\(Markup.escape(t("nav.districts")))</a>\
            <a href="/assessments">\(Markup.escape(t("nav.assessments")))</a><a href="/pilots">\(Markup.escape(t("nav.pilots")))</a><a href="/pathways">\(Markup.escape(t("nav.pathways")))</a><a href="/monitoring">\(Markup.escape(t("nav.monitoring")))</a><a href="/factors">\(Markup.escape(t("nav.factors")))</a><a href="/methods">\(Markup.escape(t("nav.methods")))</a>\
            <a href="/#open-data">\(Markup.escape(t("nav.opendata")))</a><a href="/api">\(Markup.escape(t("nav.api")))</a>\
            <a href="/staff" rel="nofollow">\(Markup.escape(t("nav.staff")))</a>\
            \(languageSwitch(t, query: query))</nav></header>\
            \(ScrollingTables.wrap(body, unnamed: Markup.escape(t("table.region"))))<footer>\(Markup.escape(footer))</footer></body></html>
            """
    }

    /// "How this is counted →", to the methods page's section that explains a figure.
    package static func methodLink(_ anchor: String, _ t: Localizer) -> String {
        #"<a class="method" href="/methods#\#(Markup.escape(anchor))">\#(Markup.escape(t("methods.link"))) →</a>"#
    }

    /// A page for a wall screen: large type, the title and the language links only; with
    /// `refreshSeconds` it reloads itself (a meta refresh: no script) so that it stays current.
    package static func wall(_ t: Localizer, title: String, body: String, refreshSeconds: Int?) -> String {
        """
        <!doctype html><html lang="\(t.language.htmlCode)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">\
        \(refreshSeconds.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? "")<title>\(Markup.escape(title))</title><link rel="icon" href="data:,">\
        <link rel="stylesheet" href="/assets/site.css"></head><body class="wall">\
        <a class="skip" href="#main">\(Markup.escape(t("nav.skip")))</a>\
        <header><h1>\(Markup.escape(title))</h1><nav><a href="/">\(Markup.escape(t("nav.dashboard")))</a>\(languageSwitch(t, query: []))</nav></header>\
        \(ScrollingTables.wrap(body, unnamed: Markup.escape(t("table.region"))))</body></html>
        """
    }
}
