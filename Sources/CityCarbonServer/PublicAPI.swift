import CityCarbonPages
import CarbonAccounting
import CarbonKit
import CityCarbonStore
import CityProgramme
import Foundation
import Hummingbird

/// The open API under `/api/v1`: jurisdictions, factor sets and factors, activity data and
/// inventories. Activity data and inventories appear only for published years.
struct PublicAPI: Sendable {
    let database: CityCarbonDatabase
    let cache: InventoryCache
    let pages: PageCache

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "api/v1/jurisdictions") { request, _ in try jurisdictions(request).httpResponse() }
        routes.open(.get, "api/v1/jurisdictions/:name/statistics") { request, context in
            try Self.respond(request, statistics(name: context.parameters.decoded("name")), csvName: "statistics",
                             columns: Self.statisticColumns)
        }
        routes.open(.get, "api/v1/boundaries") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/geo+json"],
                     body: .init(byteBuffer: ByteBuffer(string: try BoundaryRepository(database).featureCollection())))
        }
        routes.open(.get, "api/v1/factor-sets") { request, _ in try factorSets(request).httpResponse() }
        routes.open(.get, "api/v1/factor-sets/:name/factors") { request, context in try factors(request, name: context.parameters.decoded("name")) }
        routes.open(.get, "api/v1/activities") { request, _ in try Self.respond(request, activities(request), csvName: "activities", columns: Self.activityColumns) }
        routes.open(.get, "api/v1/inventories") { _, _ in try inventories().httpResponse() }
        routes.open(.get, "api/v1/inventories/:year") { request, context in
            try inventory(request, year: context.parameters.require("year", as: Int.self))
        }
    }

    func jurisdictions(_ request: Request) throws -> JSONValue {
        let paging = try Paging(request)
        let tree = try JurisdictionRepository(database).tree()
        var nodes = tree.order.compactMap { tree.nodes[$0] }
        if let level = request.uri.queryParameters.get("level") {
            guard JurisdictionLevel(rawValue: level) != nil else {
                throw InputErrors([InputIssue(InputLocation(field: "level"), value: level, reason: "unknown level",
                                              suggestion: "one of " + JurisdictionLevel.allCases.map(\.rawValue).joined(separator: ", "))])
            }
            nodes = nodes.filter { $0.level.rawValue == level }
        }
        if let parent = request.uri.queryParameters.get("parent").map { String($0) } { nodes = nodes.filter { $0.parent == parent } }
        return paging.envelope(paging.slice(nodes).map(Self.json), total: nodes.count)
    }

    func statistics(name: String) throws -> JSONValue {
        let tree = try JurisdictionRepository(database).tree()
        guard tree.contains(name) else { throw ProblemDetails(.notFound, "no jurisdiction named \(name)") }
        // A city given per district has its sums here, marked derived: never an empty list.
        let rows = try StatisticsRepository(database).aggregated(name, tree: tree, edition: .published).values.sorted { $0.year < $1.year }
        return .object([("items", .array(rows.map(Self.json)))])
    }

    /// The columns of a statistic in the API and its CSV, in this order.
    static let statisticColumns = ["year", "population", "gdp", "gdp_unit", "source", "derived", "gdp_constant", "gdp_constant_base_year",
                                   "value_added_primary", "value_added_secondary", "value_added_tertiary", "registered_population",
                                   "energy_tce", "energy_tce_primary", "energy_tce_secondary", "energy_tce_tertiary", "energy_tce_residential",
                                   "energy_method", "floor_area_m2", "deaths"]

    static func json(_ s: JurisdictionStatistic) -> JSONValue {
        var members: [String: JSONValue] = ["year": .integer(s.year), "gdp_unit": s.gdpUnit.map(JSONValue.string) ?? .null,
                                            "source": s.source.map(JSONValue.string) ?? .null, "derived": .bool(s.derived),
                                            "gdp_constant_base_year": s.gdpConstantBaseYear.map(JSONValue.integer) ?? .null,
                                            "energy_method": s.energyMethod.map { .string($0.rawValue) } ?? .null]
        for (name, keyPath) in JurisdictionStatistic.additive { members[name] = s[keyPath: keyPath].map(JSONValue.number) ?? .null }
        return .object(statisticColumns.map { ($0, members[$0] ?? .null) })
    }

    static func format(_ request: Request) throws -> String {
        let format = request.uri.queryParameters.get("format").map { String($0) } ?? "json"
        guard format == "json" || format == "csv" else {
            throw InputErrors([InputIssue(InputLocation(field: "format"), value: format, reason: "unknown format", suggestion: "json or csv")])
        }
        return format
    }

    /// JSON, or with `?format=csv` the `items` as a CSV table whose columns are the JSON keys.
    static func respond(_ request: Request, _ document: JSONValue, csvName: String, columns: [String]) throws -> Response {
        guard try format(request) == "csv" else { return document.httpResponse() }
        guard case .object(let members) = document, case .array(let items)? = members.first(where: { $0.0 == "items" })?.1 else {
            return document.httpResponse()
        }
        var lines: [String] = []
        for item in items {
            guard case .object(let fields) = item else { continue }
            let byName = Dictionary(fields, uniquingKeysWith: { a, _ in a })
            lines.append(columns.map { byName[$0] ?? .null }.map { value -> String in
                switch value {
                case .null: ""
                case .string(let s): InventoryExport.csvField(s)
                case .bool(let b): b ? "true" : "false"
                default: InventoryExport.csvField(value.serialized())
                }
            }.joined(separator: ","))
        }
        let text = ([columns.joined(separator: ",")] + lines).joined(separator: "\n") + "\n"
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(csvName).csv\""],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ j: Jurisdiction) -> JSONValue { JurisdictionRepository.json(j) }

    func factorSets(_ request: Request) throws -> JSONValue {
        let paging = try Paging(request, defaultPerPage: 100)
        var sets = try FactorSetRepository(database).library().sets.values.sorted { ($0.kind.rawValue, $0.name) < ($1.kind.rawValue, $1.name) }
        if let kind = request.uri.queryParameters.get("kind") {
            guard let wanted = FactorSetKind(rawValue: String(kind)) else {
                throw InputErrors([InputIssue(InputLocation(field: "kind"), value: String(kind), reason: "unknown kind", suggestion: "one of library, grid, custom")])
            }
            sets = sets.filter { $0.kind == wanted }
        }
        return paging.envelope(paging.slice(sets).map { set in
            .object([("name", .string(set.name)), ("title", .string(set.title)), ("kind", .string(set.kind.rawValue)),
                     ("method", .string(set.method)), ("source", .string(set.source)), ("year", set.year.map(JSONValue.integer) ?? .null),
                     ("fingerprint", .string(set.fingerprint)), ("numbers", .integer(set.records.count)),
                     ("fuels", .array(set.fuels.map(JSONValue.string)))])
        }, total: sets.count)
    }

    func factors(_ request: Request, name: String) throws -> Response {
        let format = request.uri.queryParameters.get("format").map { String($0) } ?? "json"
        guard format == "json" || format == "csv" else {
            throw InputErrors([InputIssue(InputLocation(field: "format"), value: format, reason: "unknown format", suggestion: "json or csv")])
        }
        let paging = try Paging(request, defaultPerPage: 100)
        let library = try FactorSetRepository(database).library()
        let set: FactorSet
        do { set = try library.set(named: name) } catch {
            throw ProblemDetails(.notFound, error.description)
        }
        var records = set.records
        if let fuel = request.uri.queryParameters.get("fuel") { records = records.filter { $0.fuel == fuel } }
        if let quantity = request.uri.queryParameters.get("quantity") { records = records.filter { $0.quantity == quantity } }
        if format == "csv" {
            let filename = set.name.replacingOccurrences(of: ":", with: "-")
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename).csv\""],
                            body: .init(byteBuffer: ByteBuffer(string: FactorSet.csv(records))))
        }
        return paging.envelope(paging.slice(records).map { r in
            .object([("fuel", .string(r.fuel)), ("applies_to", .array(r.appliesTo.map(JSONValue.string))),
                     ("technology", r.technology.map(JSONValue.string) ?? .null), ("default", .bool(r.isDefaultTechnology)),
                     ("quantity", .string(r.quantity)), ("value", .number(r.value)), ("unit", .string(r.unit)),
                     ("source", .string(r.source)), ("year", r.year.map(JSONValue.integer) ?? .null),
                     ("confidence", r.confidence.map(JSONValue.string) ?? .null), ("note", r.note.map(JSONValue.string) ?? .null)])
        }, total: records.count).httpResponse()
    }

    /// The year asked for, which must be published.
    private func publishedYear(_ year: Int) throws {
        guard try PublicationRepository(database).isPublished(year) else {
            throw ProblemDetails(.notFound, "no published inventory for \(year)")
        }
    }

    func activities(_ request: Request) throws -> JSONValue {
        var paging = try Paging(request)
        // A CSV download is the whole selection, in the layout `citycarbon import activities` reads.
        if try Self.format(request) == "csv" { paging = Paging(page: 1, perPage: Int(Int32.max)) }
        let query = request.uri.queryParameters
        guard let yearText = query.get("year") else {
            throw InputErrors([InputIssue(InputLocation(field: "year"), reason: "is required")])
        }
        guard let year = Int(yearText), (1850...2300).contains(year) else {
            throw InputErrors([InputIssue(InputLocation(field: "year"), value: String(yearText), reason: "is not a year from 1850 to 2300")])
        }
        try publishedYear(year)
        var names: [String]?
        if let name = query.get("jurisdiction").map { String($0) } {
            let tree = try JurisdictionRepository(database).tree()
            guard tree.contains(name) else { throw ProblemDetails(.notFound, "no jurisdiction named \(name)") }
            names = tree.order.filter { tree.lineage(of: $0).contains(name) }
        }
        let page = try ActivityRepository(database).page(year: year, jurisdictions: names, gpcPrefix: query.get("gpc_ref").map { String($0) },
                                                         offset: paging.offset, limit: paging.perPage, rows: .published)
        return paging.envelope(page.rows.map(Self.json), total: page.total)
    }

    static let activityColumns = ["year", "jurisdiction", "gpc_ref", "fuel", "technology", "amount", "unit", "factor_set", "co2_kg_per_unit",
                                  "ch4_kg_per_unit", "n2o_kg_per_unit", "gas", "td_loss_rate", "notation_key", "ie_ref", "ad_quality", "ef_quality",
                                  "source", "note"]

    static func json(_ r: ActivityRecord) -> JSONValue {
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        func number(_ x: Double?) -> JSONValue { x.map(JSONValue.number) ?? .null }
        return .object([
            ("year", .integer(r.year)), ("jurisdiction", .string(r.jurisdiction)), ("gpc_ref", .string(r.gpcRef)), ("fuel", text(r.fuel)),
            ("technology", text(r.technology)), ("amount", number(r.amount)), ("unit", text(r.unit)), ("factor_set", text(r.factorSet)),
            ("co2_kg_per_unit", number(r.co2KgPerUnit)), ("ch4_kg_per_unit", number(r.ch4KgPerUnit)), ("n2o_kg_per_unit", number(r.n2oKgPerUnit)),
            ("gas", text(r.gas)), ("td_loss_rate", number(r.tdLossRate)), ("notation_key", text(r.notationKey?.rawValue)),
            ("ie_ref", text(r.ieRef)), ("ad_quality", text(r.adQuality?.rawValue)), ("ef_quality", text(r.efQuality?.rawValue)),
            ("source", text(r.source)), ("note", text(r.note)),
        ])
    }

    func inventories() throws -> JSONValue {
        // The computation each year was published with, never a newer draft.
        let rows = try PublicationRepository(database).published()
        let trail = AuditTrail(database)
        return .object([("items", .array(try rows.map { row in
            .object([("year", .integer(row.year)), ("gwp", .string(row.gwp)), ("unit", .string("tCO2e")),
                     ("basic", .number(row.basicTonnes)), ("basic_plus", .number(row.basicPlusTonnes)),
                     ("input_fingerprint", .string(row.fingerprint)), ("computed_at", .string(row.computedAt)),
                     ("audit_checkpoint", try trail.checkpoints(subject: "publication \(row.year)").last?.json ?? .null)])
        }))])
    }

    /// The table layout of a CSV or XLSX inventory: gpc unless `layout` names another.
    static func layout(_ request: Request) throws -> InventoryLayout {
        let text = request.uri.queryParameters.get("layout").map { String($0) } ?? "gpc"
        guard let layout = InventoryLayout(rawValue: text) else {
            throw InputErrors([InputIssue(InputLocation(field: "layout"), value: text, reason: "unknown layout",
                                          suggestion: InventoryLayout.allCases.map(\.rawValue).joined(separator: ", "))])
        }
        return layout
    }

    func inventory(_ request: Request, year: Int) throws -> Response {
        let jurisdiction = request.uri.queryParameters.get("jurisdiction").map { String($0) }
        // A layout is checked whatever the format, so a mistyped one is never silently ignored.
        let layout = try Self.layout(request)
        // Everything below depends only on the data, so a cached answer needs no other query.
        func published() throws -> Inventory {
            try publishedYear(year)
            guard let inventory = try cache.published(year: year) else { throw ProblemDetails(.notFound, "no inventory for \(year)") }
            if let jurisdiction, !inventory.jurisdictions.contains(where: { $0.name == jurisdiction }) {
                throw ProblemDetails(.notFound, "no jurisdiction named \(jurisdiction) in the \(year) inventory")
            }
            return inventory
        }
        let key = "inventory/\(year)/\(jurisdiction ?? "")"
        switch request.uri.queryParameters.get("format").map { String($0) } ?? "json" {
        case "json":
            let body = try pages.page(key + "/json") {
                var document = InventoryExport.json(try published(), year: year, jurisdiction: jurisdiction)
                // The signed audit head kept when the year was published: the numbers can be checked against the chain.
                if case .object(var members) = document {
                    members.append(("audit_checkpoint", try AuditTrail(database).checkpoints(subject: "publication \(year)").last?.json ?? .null))
                    document = .object(members)
                }
                return document.serialized()
            }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
        case "csv":
            var headers: HTTPFields = [.contentType: "text/csv; charset=utf-8"]
            headers[.contentDisposition] = "attachment; filename=\"\(layout.rawValue)-inventory-\(year).csv\""
            let body = try pages.page(key + "/csv/\(layout.rawValue)") {
                InventoryExport.csv(try published(), year: year, layout: layout, jurisdiction: jurisdiction)
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        case "xlsx":
            var headers: HTTPFields = [.contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
            headers[.contentDisposition] = "attachment; filename=\"\(layout.rawValue)-inventory-\(year).xlsx\""
            let bytes = try InventoryExport.xlsx(try published(), year: year, layout: layout, jurisdiction: jurisdiction)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case let other:
            throw InputErrors([InputIssue(InputLocation(field: "format"), value: other, reason: "unknown format", suggestion: "json, csv or xlsx")])
        }
    }
}
