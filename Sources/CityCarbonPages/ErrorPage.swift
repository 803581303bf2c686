import CarbonKit
import Foundation

/// What a browser shows when a page cannot be given: a page of the site, in the reader's
/// language, saying what happened and where to go, instead of an API client's problem JSON.
package enum ErrorPage {
    /// The page for HTTP `status` at `path`; `detail` is what the server can say of the cause
    /// (shown for a refused request; not for a missing page, which the text explains, nor for a
    /// server fault, whose cause stays in the log).
    /// `problems` are the refused request's fields, each with what was wrong and what would do.
    package static func html(_ t: Localizer, status: Int, path: String, detail: String?, problems: [InputIssue] = []) -> HTML {
        let known = [400, 403, 404, 405, 409, 413, 422, 429, 500, 503]
        let key = known.contains(status) ? String(status) : status >= 500 ? "500" : "400"
        var body: HTML = "<main id=\"main\"><p>\(t("error.body.\(key)", ["path": path]))</p>"
        if let detail, status < 500, status != 404, !detail.isEmpty {
            body += "<div class=\"problem\"><p>\(t("error.detail", ["detail": detail]))</p>"
            if !problems.isEmpty { body += "<ul>\(problems.prefix(50).html { "<li>\($0.description)</li>" })</ul>" }
            body += "</div>"
        }
        body += "<p><a href=\"/\">\(t("error.home"))</a> · "
        body += "<a href=\"/plans\">\(t("nav.plans"))</a> · <a href=\"/#open-data\">\(t("nav.opendata"))</a></p></main>"
        return Layout.page(t, title: t("error.title.\(key)", ["code": String(status)]), body: body, query: [], footer: t("error.footer", ["code": String(status)]))
    }
}
