import CityCarbonPages
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird

/// The climate office loads the city's jurisdiction tree (add and move), its own statistics (a
/// yearbook's CSV) and its boundaries (GeoJSON) in the browser, as
/// `citycarbon import jurisdictions|statistics|boundaries` does: all or none,
/// every problem in a table naming its row, column or feature; statistics stay drafts until
/// published from the staff home.
struct CityDataPage: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/city-data", .importStatistics) { _, _, call in page(call) }
        routes.staff(.post, "staff/city-data/jurisdictions", .importStatistics, bodyLimit: BodyLimit.upload) { _, _, call in
            try load(call, kind: "jurisdictions") { bytes, name in
                let summary = try JurisdictionRepository(database).importCSV(bytes, file: name, actor: call.actor)
                return call.t("cityData.jurisdictions.done", ["added": String(summary.added), "updated": String(summary.updated),
                                                              "renamed": String(summary.renamed.count), "file": name])
            }
        }
        routes.staff(.post, "staff/city-data/statistics", .importStatistics, bodyLimit: BodyLimit.upload) { _, _, call in
            try load(call, kind: "statistics") { bytes, name in
                let rows = try StatisticsRepository(database).importCSV(bytes, file: name, actor: call.actor)
                return call.t("cityData.statistics.done", ["rows": String(rows), "file": name,
                                                           "pending": String(try StatisticsRepository(database).unpublishedChanges())])
            }
        }
        routes.staff(.post, "staff/city-data/boundaries", .importStatistics, bodyLimit: BodyLimit.upload) { _, _, call in
            try load(call, kind: "boundaries") { bytes, name in
                call.t("cityData.boundaries.done", ["features": String(try BoundaryRepository(database).importGeoJSON(bytes, file: name, actor: call.actor)), "file": name])
            }
        }
    }

    func load(_ call: StaffCall, kind: String, _ importer: ([UInt8], String) throws -> String) throws -> Response {
        guard let file = call.form.files["file"], !file.bytes.isEmpty else {
            throw InputErrors([InputIssue(InputLocation(field: "file"), reason: "no file was uploaded", suggestion: "choose a file")])
        }
        let name = (file.filename as NSString).lastPathComponent
        do {
            let notice = try importer(file.bytes, name)
            return page(call, notice: "<p class=\"notice\" role=\"status\" id=\"\(kind)-loaded\">\(notice)</p>" as HTML)
        } catch let errors as InputErrors {
            let refused: HTML = """
                <section id="\(kind)-refused"><p class="problem">\(call.t("cityData.refused", ["file": name]))</p>\
                \(StaffLayout.issueTable(call.t, errors.issues))</section>
                """
            return page(call, notice: refused, status: .unprocessableContent)
        }
    }

    func page(_ call: StaffCall, notice: HTML = "", status: HTTPResponse.Status = .ok) -> Response {
        let t = call.t, csrf = StaffLayout.csrfField(call)
        var html = notice
        for (kind, accept) in [("jurisdictions", ".csv,text/csv"), ("statistics", ".csv,text/csv"), ("boundaries", ".geojson,.json,application/geo+json")] {
            html += """
                <section><h2>\(t("cityData.\(kind).title"))</h2>\
                <form method="post" action="/staff/city-data/\(kind)" enctype="multipart/form-data">\(csrf)\
                <label for="\(kind)-file">\(t("cityData.\(kind).file"))</label><input id="\(kind)-file" name="file" type="file" accept="\(accept)" required>\
                <p><button type="submit">\(t("cityData.load"))</button></p></form><p>\(t("cityData.\(kind).help"))</p></section>
                """
        }
        return StaffLayout.page(t, call, title: t("cityData.title"), status: status, body: html)
    }
}
