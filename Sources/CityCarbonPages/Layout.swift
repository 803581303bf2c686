import Foundation

/// The frame of every public page: title, navigation, the language switch (keeping the page's
/// own query), the stylesheet, and the footer.
package enum Layout {
    /// The public menu: each entry's address and the key of its name.
    static let menu = [("/", "nav.dashboard"), ("/plans", "nav.plans"), ("/indicators", "nav.indicators"), ("/targets", "nav.targets"),
                       ("/districts", "nav.districts"), ("/assessments", "nav.assessments"), ("/pilots", "nav.pilots"), ("/registry", "nav.registry"), ("/disclosure", "nav.disclosure"), ("/inclusion", "nav.inclusion"), ("/air", "nav.air"),
                       ("/pathways", "nav.pathways"), ("/monitoring", "nav.monitoring"), ("/factors", "nav.factors"),
                       ("/methods", "nav.methods"), ("/#open-data", "nav.opendata"), ("/api", "nav.api")]

    /// A link to this page in each other language, named in that language and keeping the
    /// page's own query.
    package static func languageSwitch(_ t: Localizer, query: [(String, String)]) -> HTML {
        Language.allCases.filter { $0 != t.language }.html { other in
            let q = (query.filter { $0.0 != "lang" } + [("lang", other.rawValue)]).map { name, value in
                "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)"
            }.joined(separator: "&")
            return #"<a class="lang" href="?\#(q)" hreflang="\#(other.htmlCode)" lang="\#(other.htmlCode)">\#(Localizer(other).languageName)</a>"#
        }
    }

    /// The document's head: title, viewport, stylesheet; `extra` goes before the title.
    package static func head(_ t: Localizer, title: String, extra: HTML? = nil) -> HTML {
        """
        <!doctype html><html lang="\(t.language.htmlCode)"><head><meta charset="utf-8">\
        <meta name="viewport" content="width=device-width, initial-scale=1">\(extra)<title>\(title)</title>\
        <link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/site.css"></head>
        """
    }

    /// The public menu, the way to the staff side and the language switch.
    static func navigation(_ t: Localizer, query: [(String, String)]) -> HTML {
        let entries = menu.html { href, key in #"<a href="\#(href)">\#(t(key))</a>"# }
        return #"<nav>\#(entries)<a href="/staff" rel="nofollow">\#(t("nav.staff"))</a>\#(languageSwitch(t, query: query))</nav>"#
    }

    package static func page(_ t: Localizer, title: String, body: HTML, query: [(String, String)], footer: String) -> HTML {
        """
        \(head(t, title: title))<body><a class="skip" href="#main">\(t("nav.skip"))</a>\
        <header><h1>\(title)</h1>\(navigation(t, query: query))</header>\
        \(ScrollingTables.wrap(body, unnamed: t("table.region")))<footer>\(footer)</footer></body></html>
        """
    }

    /// "How this is counted →", to the methods page's section that explains a figure.
    package static func methodLink(_ anchor: String, _ t: Localizer) -> HTML {
        #"<a class="method" href="/methods#\#(anchor)">\#(t("methods.link")) →</a>"#
    }

    /// A page for a wall screen: large type, the title and the language links only; with
    /// `refreshSeconds` it reloads itself (a meta refresh: no script) so that it stays current.
    package static func wall(_ t: Localizer, title: String, body: HTML, refreshSeconds: Int?) -> HTML {
        let refresh: HTML? = refreshSeconds.map { #"<meta http-equiv="refresh" content="\#($0)">"# }
        return """
            \(head(t, title: title, extra: refresh))<body class="wall"><a class="skip" href="#main">\(t("nav.skip"))</a>\
            <header><h1>\(title)</h1><nav><a href="/">\(t("nav.dashboard"))</a>\(languageSwitch(t, query: []))</nav></header>\
            \(ScrollingTables.wrap(body, unnamed: t("table.region")))</body></html>
            """
    }
}
