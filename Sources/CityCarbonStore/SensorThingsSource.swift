import AirQuality
import CarbonKit
import CarbonMonitoring
import Foundation

/// The city's sensor networks as SensorThings entities, limited to what one caller may see:
/// the monitoring network's sites and meter channels (whole-number ids) and the air-quality
/// network's sensors and their parameters (text ids: `'JK-001'`, `'JK-001:pm25'`).
///
/// | SensorThings | monitoring | air quality |
/// |---|---|---|
/// | Thing | a site | a sensor |
/// | Location, FeatureOfInterest | — (sites have no coordinates; the site is the feature) | the sensor's point (`'JK-001'`); a place it stood before, `'JK-001@7'` |
/// | HistoricalLocation | — | each place the sensor has stood, from when (`7`) |
/// | Datastream | a meter channel | a sensor's parameter |
/// | Sensor | the kind of meter (`'meter:interval'`) | the model (`'model:PA-II'`) |
/// | ObservedProperty | the quantity (`'electricity'`) | the parameter (`'pm25'`) |
/// | Observation | a reading (`'5-1764000000'`) | a checked hour (`'JK-001:pm25:1764000000'`) |
///
/// Each request works on a snapshot of the registries (``SensorThingsRegistry``, kept a few
/// seconds); observations are read a window at a time.
public final class SensorThingsSource: STASource {
    let database: CityCarbonDatabase
    let sites: [Int64: SiteSummary]
    let siteIDs: [String: Int64]
    let streams: [Int64: DatastreamSummary]
    /// Each meter channel's first reading, read when the channel is first shown: a registry of
    /// many thousand channels is not searched for every request.
    private var firstReadings: [Int64: Int64?] = [:]
    let sensors: [String: AirSensor]
    let sensorCreated: [String: String]
    /// Each visible sensor's places, oldest first: the last is where it stands.
    let places: [String: [AirSensorPlaces.Place]]
    /// Each visible sensor's parameters with their first and last hour, in (sensor, parameter) order.
    let airStreams: [(sensor: String, parameter: AirParameter, first: Int64, last: Int64)]

    public init(_ database: CityCarbonDatabase, scope: IngestScope) throws {
        self.database = database
        let registry = try database.sensorThings.snapshot(database)
        let visibleSites = registry.sites.filter { scope.allows(organisation: $0.site.organisation, site: $0.site.key) }
        sites = Dictionary(uniqueKeysWithValues: visibleSites.map { ($0.id, $0) })
        siteIDs = Dictionary(uniqueKeysWithValues: visibleSites.map { ($0.site.key, $0.id) })
        let siteKeys = Set(siteIDs.keys)
        streams = Dictionary(uniqueKeysWithValues: registry.streams.filter { siteKeys.contains($0.datastream.siteKey) }.map { ($0.id, $0) })
        let visibleSensors = Dictionary(uniqueKeysWithValues: registry.sensors.filter { scope.allows(organisation: $0.owner, site: $0.code) }
            .map { ($0.code, $0) })
        sensors = visibleSensors
        sensorCreated = registry.sensorCreated
        places = registry.places.filter { visibleSensors[$0.key] != nil }
        if case .everything = scope {
            airStreams = registry.airStreams
        } else {
            let visible = Set(sensors.keys)
            airStreams = registry.airStreams.filter { visible.contains($0.sensor) }
        }
    }

    // MARK: Entities

    public func entities(_ type: STAEntityType) throws -> [STAEntity] {
        switch type {
        case .thing: sites.values.map(thing) + sensors.values.map(thing)
        case .location: sensors.values.map(location) + pastPlaces.map(location)
        case .historicalLocation: places.values.flatMap { $0 }.map(historicalLocation)
        case .datastream: streams.values.map(datastream) + airStreams.map(datastream)
        case .multiDatastream: []
        case .sensor: Set(streams.values.map(\.datastream.kind.rawValue)).map(meterSensor) + Set(sensors.values.map(\.model)).map(modelSensor)
        case .observedProperty:
            Set(streams.values.map(\.datastream.quantity)).map(quantity) + Set(airStreams.map(\.parameter)).map(quantity)
        case .featureOfInterest: sites.values.map(siteFeature) + sensors.values.map(sensorFeature)
        case .observation: []
        }
    }

    public func entity(_ type: STAEntityType, id: STAID) throws -> STAEntity? {
        switch (type, id) {
        case let (.thing, .integer(n)): return sites[n].map(thing)
        case let (.thing, .text(code)): return sensors[code].map(thing)
        case let (.location, .text(text)):
            if let place = pastPlace(text) { return location(place) }
            return sensors[text].map(location)
        case let (.historicalLocation, .integer(n)): return place(n).map(historicalLocation)
        case let (.datastream, .integer(n)): return streams[n].map(datastream)
        case let (.datastream, .text(text)):
            guard let (code, parameter) = Self.airStream(text) else { return nil }
            return airStreams.first { $0.sensor == code && $0.parameter == parameter }.map(datastream)
        case let (.sensor, .text(text)):
            if text.hasPrefix("meter:"), streams.values.contains(where: { "meter:" + $0.datastream.kind.rawValue == text }) { return meterSensor(String(text.dropFirst(6))) }
            if text.hasPrefix("model:"), sensors.values.contains(where: { "model:" + $0.model == text }) { return modelSensor(String(text.dropFirst(6))) }
            return nil
        case let (.observedProperty, .text(text)):
            if let parameter = AirParameter(rawValue: text), airStreams.contains(where: { $0.parameter == parameter }) { return quantity(parameter) }
            return streams.values.contains { $0.datastream.quantity == text } ? quantity(text) : nil
        case let (.featureOfInterest, .text(text)):
            if text.hasPrefix("site-"), let n = Int64(text.dropFirst(5)), let site = sites[n] { return siteFeature(site) }
            return sensors[text].map(sensorFeature)
        case let (.observation, .text(text)): return try observation(text)
        default: return nil
        }
    }

    public func related(_ entity: STAEntity, _ navigation: String) throws -> [STAEntity] {
        switch (entity.type, entity.id, navigation) {
        case let (.thing, .integer(n), "Datastreams"): return streams.values.filter { siteIDs[$0.datastream.siteKey] == n }.map(datastream)
        case let (.thing, .text(code), "Datastreams"): return airStreams.filter { $0.sensor == code }.map(datastream)
        case let (.thing, .text(code), "Locations"), let (.featureOfInterest, .text(code), "Locations"):
            return sensors[code].map { [location($0)] } ?? []
        case let (.thing, .text(code), "HistoricalLocations"): return (places[code] ?? []).map(historicalLocation)
        case let (.location, .text(text), "HistoricalLocations"):
            if let place = pastPlace(text) { return [historicalLocation(place)] }
            return places[text]?.last.map { [historicalLocation($0)] } ?? []
        case let (.location, .text(text), "Things"):
            return sensors[pastPlace(text)?.sensor ?? text].map { [thing($0)] } ?? []
        case let (.historicalLocation, .integer(n), "Thing"): return place(n).flatMap { sensors[$0.sensor] }.map { [thing($0)] } ?? []
        case let (.historicalLocation, .integer(n), "Locations"):
            guard let place = place(n), let sensor = sensors[place.sensor] else { return [] }
            return [places[place.sensor]?.last?.id == n ? location(sensor) : location(place)]
        case let (.datastream, .integer(n), "Thing"): return streams[n].flatMap { siteIDs[$0.datastream.siteKey] }.flatMap { sites[$0] }.map { [thing($0)] } ?? []
        case let (.datastream, .integer(n), "Sensor"): return streams[n].map { [meterSensor($0.datastream.kind.rawValue)] } ?? []
        case let (.datastream, .integer(n), "ObservedProperty"): return streams[n].map { [quantity($0.datastream.quantity)] } ?? []
        case let (.datastream, .text(text), "Thing"): return Self.airStream(text).flatMap { sensors[$0.0] }.map { [thing($0)] } ?? []
        case let (.datastream, .text(text), "Sensor"): return Self.airStream(text).flatMap { sensors[$0.0] }.map { [modelSensor($0.model)] } ?? []
        case let (.datastream, .text(text), "ObservedProperty"): return Self.airStream(text).map { [quantity($0.1)] } ?? []
        case let (.sensor, .text(text), "Datastreams"):
            if text.hasPrefix("meter:") { return streams.values.filter { "meter:" + $0.datastream.kind.rawValue == text }.map(datastream) }
            return airStreams.filter { sensors[$0.sensor].map { "model:" + $0.model } == text }.map(datastream)
        case let (.observedProperty, .text(text), "Datastreams"):
            if let parameter = AirParameter(rawValue: text) { return airStreams.filter { $0.parameter == parameter }.map(datastream) }
            return streams.values.filter { $0.datastream.quantity == text }.map(datastream)
        case let (.observation, .text(text), "Datastream"):
            if let (stream, _) = Self.reading(text) { return streams[stream].map { [datastream($0)] } ?? [] }
            if let (code, parameter, _) = Self.airHour(text) {
                return airStreams.first { $0.sensor == code && $0.parameter == parameter }.map { [datastream($0)] } ?? []
            }
            return []
        case let (.observation, .text(text), "FeatureOfInterest"):
            if let (stream, _) = Self.reading(text) {
                return streams[stream].flatMap { siteIDs[$0.datastream.siteKey] }.flatMap { sites[$0] }.map { [siteFeature($0)] } ?? []
            }
            return Self.airHour(text).flatMap { sensors[$0.0] }.map { [sensorFeature($0)] } ?? []
        default: return []
        }
    }

    public func observationStreams(of entity: STAEntity) throws -> [STAID]? {
        switch entity.type {
        case .datastream, .multiDatastream: [entity.id]
        case .featureOfInterest:
            if case let .text(text) = entity.id, text.hasPrefix("site-"), let n = Int64(text.dropFirst(5)) {
                streams.values.filter { siteIDs[$0.datastream.siteKey] == n }.map { .integer($0.id) }.sorted { STAService.idOrder($0, $1) }
            } else if case let .text(code) = entity.id {
                airStreams.filter { $0.sensor == code }.map { .text("\($0.sensor):\($0.parameter.rawValue)") }
            } else { [] }
        default: []
        }
    }

    /// The streams asked for that this caller sees, all of them when nil: meter channels by id, then
    /// air streams by sensor and parameter.
    func visible(_ datastreams: [STAID]?) -> [STAID] {
        let all: [STAID] = datastreams ?? (streams.keys.sorted().map { .integer($0) } + airStreams.map { .text("\($0.sensor):\($0.parameter.rawValue)") })
        return all.filter { id in
            switch id {
            case let .integer(n): streams[n] != nil
            case let .text(text): Self.airStream(text).map { key in airStreams.contains { $0.sensor == key.0 && $0.parameter == key.1 } } ?? false
            }
        }
    }

    public func countObservations(datastreams: [STAID]?, window: STAObservationWindow) throws -> Int {
        try database.read { db in
            var total = 0
            for stream in visible(datastreams) {
                switch stream {
                case let .integer(n):
                    // A bound on the value visits every reading in the time range: counted from
                    // the channel's columns in memory (``ObservationColumns``).
                    if ObservationBounds(window).boundsValue, let counted = try database.observationColumns.count(db, stream: n, ObservationBounds(window)) {
                        total += counted
                        continue
                    }
                    let (where_, arguments) = bounds(window, column: "t", value: "value", after: nil, descending: false)
                    total += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM monitor_reading WHERE datastream_id = ?\(where_)",
                                              arguments: SQLArguments([.integer(n)] + arguments)) ?? 0
                case let .text(text):
                    guard let (code, parameter) = Self.airStream(text) else { continue }
                    let (where_, arguments) = bounds(window, column: "hour", value: "value", after: nil, descending: false)
                    total += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM air_hour WHERE sensor = ? AND parameter = ?\(where_)",
                                              arguments: SQLArguments([.text(code), .text(parameter.rawValue)] + arguments)) ?? 0
                }
            }
            return total
        }
    }

    /// Observations in (stream, time) order, time newest first when `descending`.
    public func observations(datastreams: [STAID]?, window: STAObservationWindow, after: STAEntity?, limit: Int,
                             descending: Bool) throws -> [STAEntity] {
        var ordered = visible(datastreams)
        var afterTime: Int64?
        if let after, case let .text(text) = after.id {
            let stream: STAID?
            if let (n, t) = Self.reading(text) { (stream, afterTime) = (.integer(n), t) } else if let (code, parameter, hour) = Self.airHour(text) {
                (stream, afterTime) = (.text("\(code):\(parameter.rawValue)"), hour)
            } else { stream = nil }
            if let stream, let index = ordered.firstIndex(of: stream) { ordered.removeFirst(index) } else { return [] }
        }
        var found: [STAEntity] = []
        try database.read { db in
            for (index, stream) in ordered.enumerated() where found.count < limit {
                let resume = index == 0 ? afterTime : nil
                switch stream {
                case let .integer(n): try readings(db, n, window, after: resume, limit: limit - found.count, descending: descending, into: &found)
                case let .text(text): try airHours(db, text, window, after: resume, limit: limit - found.count, descending: descending, into: &found)
                }
            }
        }
        return found
    }

    /// One observation by its id.
    func observation(_ text: String) throws -> STAEntity? {
        if let (stream, t) = Self.reading(text) {
            guard streams[stream] != nil else { return nil }
            return try database.read { db in
                try SQLRow.fetchOne(db, sql: "SELECT t, value, flag, consumption, kg_co2e FROM monitor_reading WHERE datastream_id = ? AND t = ?",
                                    arguments: [stream, t]).map { reading(stream, $0) }
            }
        }
        guard let (code, parameter, hour) = Self.airHour(text), sensors[code] != nil else { return nil }
        return try database.read { db in
            try SQLRow.fetchOne(db, sql: "SELECT hour, raw, value, flags, correction FROM air_hour WHERE sensor = ? AND parameter = ? AND hour = ?",
                                arguments: [code, parameter.rawValue, hour]).map { airHour(code, parameter, $0) }
        }
    }

    func bounds(_ window: STAObservationWindow, column: String, value: String, after: Int64?, descending: Bool) -> (String, [SQLValue]) {
        let bounds = ObservationBounds(window)
        var sql = "", arguments: [SQLValue] = []
        if let from = bounds.from { sql += " AND \(column) >= ?"; arguments.append(.integer(from)) }
        if let to = bounds.to { sql += " AND \(column) <= ?"; arguments.append(.integer(to)) }
        if let after { sql += " AND \(column) \(descending ? "<" : ">") ?"; arguments.append(.integer(after)) }
        if let above = bounds.above { sql += " AND \(value) \(bounds.aboveInclusive ? ">=" : ">") ?"; arguments.append(.real(above)) }
        if let below = bounds.below { sql += " AND \(value) \(bounds.belowInclusive ? "<=" : "<") ?"; arguments.append(.real(below)) }
        return (sql, arguments)
    }

    func readings(_ db: any SQLConnection, _ stream: Int64, _ window: STAObservationWindow, after: Int64?, limit: Int,
                  descending: Bool, into found: inout [STAEntity]) throws {
        let (where_, arguments) = bounds(window, column: "t", value: "value", after: after, descending: descending)
        try db.forEachRow(sql: "SELECT t, value, flag, consumption, kg_co2e FROM monitor_reading WHERE datastream_id = ?\(where_) ORDER BY t\(descending ? " DESC" : "") LIMIT ?",
                          arguments: SQLArguments([.integer(stream)] + arguments + [.integer(Int64(limit))])) { row in
            found.append(reading(stream, row))
        }
    }

    func airHours(_ db: any SQLConnection, _ stream: String, _ window: STAObservationWindow, after: Int64?, limit: Int,
                  descending: Bool, into found: inout [STAEntity]) throws {
        guard let (code, parameter) = Self.airStream(stream) else { return }
        let (where_, arguments) = bounds(window, column: "hour", value: "value", after: after, descending: descending)
        try db.forEachRow(sql: "SELECT hour, raw, value, flags, correction FROM air_hour WHERE sensor = ? AND parameter = ?\(where_) ORDER BY hour\(descending ? " DESC" : "") LIMIT ?",
                          arguments: SQLArguments([.text(code), .text(parameter.rawValue)] + arguments + [.integer(Int64(limit))])) { row in
            found.append(airHour(code, parameter, row))
        }
    }

    // MARK: Ids

    /// `5-1764000000`: a meter channel's reading.
    static func reading(_ text: String) -> (Int64, Int64)? {
        guard let dash = text.dropFirst().firstIndex(of: "-"), let stream = Int64(text[..<dash]), let t = Int64(text[text.index(after: dash)...]) else { return nil }
        return (stream, t)
    }

    /// `JK-001:pm25`: a sensor's parameter (the code may hold colons; the parameter is after the last).
    public static func airStream(_ text: String) -> (String, AirParameter)? {
        guard let colon = text.lastIndex(of: ":"), let parameter = AirParameter(rawValue: String(text[text.index(after: colon)...])) else { return nil }
        return (String(text[..<colon]), parameter)
    }

    /// `JK-001:pm25:1764000000`: one checked hour.
    static func airHour(_ text: String) -> (String, AirParameter, Int64)? {
        guard let colon = text.lastIndex(of: ":"), let hour = Int64(text[text.index(after: colon)...]),
              let (code, parameter) = airStream(String(text[..<colon])) else { return nil }
        return (code, parameter, hour)
    }

    // MARK: Entity bodies

    static func object(_ members: [(String, JSONValue?)]) -> JSONValue { .object(members.compactMap { name, value in value.map { (name, $0) } }) }

    func thing(_ s: SiteSummary) -> STAEntity {
        STAEntity(type: .thing, id: .integer(s.id), properties: [
            ("name", .string(s.site.name)), ("description", .string("\(s.site.kind.rawValue) / \(s.site.use)")),
            ("properties", Self.object([("key", .string(s.site.key)), ("kind", .string(s.site.kind.rawValue)), ("use", .string(s.site.use)),
                                        ("jurisdiction", .string(s.site.jurisdiction)), ("organisation", .string(s.site.organisation)),
                                        ("gpc_ref", .string(s.site.gpcRef)), ("floor_area_m2", s.site.floorAreaM2.map(JSONValue.number)),
                                        ("annual_output", s.site.annualOutput.map(JSONValue.number)),
                                        ("output_unit", s.site.outputUnit.map(JSONValue.string))])),
        ])
    }

    func thing(_ sensor: AirSensor) -> STAEntity {
        STAEntity(type: .thing, id: .text(sensor.code), properties: [
            ("name", .string(sensor.name)),
            ("description", .string("\(sensor.grade == .reference ? "reference monitor" : "low-cost sensor") \(sensor.model), \(sensor.placement.rawValue)")),
            ("properties", Self.object([("network", .string("air")), ("owner", .string(sensor.owner)), ("model", .string(sensor.model)),
                                        ("grade", .string(sensor.grade.rawValue)), ("placement", .string(sensor.placement.rawValue)),
                                        ("district", sensor.district.map(JSONValue.string)), ("correction", sensor.correction.map(JSONValue.string))])),
        ])
    }

    func point(_ sensor: AirSensor) -> JSONValue { STAGeometry.point(sensor.longitude, sensor.latitude).geoJSON }

    func location(_ sensor: AirSensor) -> STAEntity {
        STAEntity(type: .location, id: .text(sensor.code), properties: [
            ("name", .string(sensor.name)), ("description", .string("where sensor \(sensor.code) stands")),
            ("encodingType", .string("application/geo+json")), ("location", point(sensor)),
        ])
    }

    /// A place the sensor stood before it moved: a Location of its own (`'JK-001@7'`).
    func location(_ place: AirSensorPlaces.Place) -> STAEntity {
        STAEntity(type: .location, id: .text("\(place.sensor)@\(place.id)"), properties: [
            ("name", .string(sensors[place.sensor]?.name ?? place.sensor)),
            ("description", .string("where sensor \(place.sensor) stood from \(STAValue.iso(Double(place.since)))")),
            ("encodingType", .string("application/geo+json")), ("location", STAGeometry.point(place.longitude, place.latitude).geoJSON),
        ])
    }

    func historicalLocation(_ place: AirSensorPlaces.Place) -> STAEntity {
        STAEntity(type: .historicalLocation, id: .integer(place.id), properties: [("time", .string(STAValue.iso(Double(place.since))))])
    }

    /// Every place a visible sensor has left.
    var pastPlaces: [AirSensorPlaces.Place] { places.values.flatMap { $0.dropLast() } }

    func place(_ id: Int64) -> AirSensorPlaces.Place? { places.values.lazy.compactMap { $0.first { $0.id == id } }.first }

    /// The place a past Location's id names (`'JK-001@7'`), when the sensor has left it.
    func pastPlace(_ id: String) -> AirSensorPlaces.Place? {
        guard let at = id.lastIndex(of: "@"), let n = Int64(id[id.index(after: at)...]) else { return nil }
        let code = String(id[..<at])
        guard let held = places[code], held.last?.id != n else { return nil }
        return held.first { $0.id == n }
    }

    static let measurement = JSONValue.string("http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement")

    func firstReading(_ stream: Int64) -> Int64? {
        if let known = firstReadings[stream] { return known }
        let first = try? database.read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(t) FROM monitor_reading WHERE datastream_id = ?", arguments: [stream])
        }
        firstReadings[stream] = first ?? nil
        return first ?? nil
    }

    func datastream(_ d: DatastreamSummary) -> STAEntity {
        let span = firstReading(d.id).flatMap { first in d.lastTime.map { "\(Timestamp.iso(first))/\(Timestamp.iso($0))" } }
        return STAEntity(type: .datastream, id: .integer(d.id), properties: [
            ("name", .string(d.datastream.key)), ("description", .string("\(d.datastream.quantity) at \(d.datastream.siteKey)")),
            ("unitOfMeasurement", .object([("name", .string(d.datastream.unit)), ("symbol", .string(d.datastream.unit)),
                                           ("definition", .string("urn:citycarbon:unit:\(d.datastream.unit)"))])),
            ("observationType", Self.measurement), ("phenomenonTime", span.map(JSONValue.string) ?? .null),
            ("properties", Self.object([("site", .string(d.datastream.siteKey)), ("quantity", .string(d.datastream.quantity)),
                                        ("kind", .string(d.datastream.kind.rawValue)), ("interval_s", .integer(d.datastream.intervalSeconds)),
                                        ("multiplier", .number(d.datastream.multiplier)), ("factor_set", d.factorSet.map(JSONValue.string))])),
        ])
    }

    func datastream(_ s: (sensor: String, parameter: AirParameter, first: Int64, last: Int64)) -> STAEntity {
        STAEntity(type: .datastream, id: .text("\(s.sensor):\(s.parameter.rawValue)"), properties: [
            ("name", .string("\(s.sensor) \(s.parameter.rawValue)")),
            ("description", .string("hourly \(s.parameter.rawValue) at sensor \(s.sensor), checked and corrected")),
            ("unitOfMeasurement", .object([("name", .string(s.parameter.unit)), ("symbol", .string(s.parameter.unit)),
                                           ("definition", .string("urn:citycarbon:unit:\(s.parameter.unit)"))])),
            ("observationType", Self.measurement),
            ("phenomenonTime", .string("\(Timestamp.iso(s.first))/\(Timestamp.iso(s.last + 3600))")),
            ("properties", .object([("sensor", .string(s.sensor)), ("parameter", .string(s.parameter.rawValue)), ("interval_s", .integer(3600))])),
        ])
    }

    func meterSensor(_ kind: String) -> STAEntity {
        STAEntity(type: .sensor, id: .text("meter:\(kind)"), properties: [
            ("name", .string("\(kind) meter")), ("description", .string("meters that send \(kind) readings")),
            ("encodingType", .string("text/plain")), ("metadata", .string("reading kind: \(kind)")),
        ])
    }

    func modelSensor(_ model: String) -> STAEntity {
        STAEntity(type: .sensor, id: .text("model:\(model)"), properties: [
            ("name", .string(model)), ("description", .string("air-quality sensor model \(model)")),
            ("encodingType", .string("text/plain")), ("metadata", .string("model: \(model)")),
        ])
    }

    func quantity(_ name: String) -> STAEntity {
        STAEntity(type: .observedProperty, id: .text(name), properties: [
            ("name", .string(name)), ("definition", .string("urn:citycarbon:quantity:\(name)")), ("description", .string("metered \(name)")),
        ])
    }

    func quantity(_ parameter: AirParameter) -> STAEntity {
        STAEntity(type: .observedProperty, id: .text(parameter.rawValue), properties: [
            ("name", .string(parameter.rawValue)), ("definition", .string("urn:citycarbon:air:\(parameter.rawValue)")),
            ("description", .string("ambient \(parameter.rawValue) in \(parameter.unit)")),
        ])
    }

    func siteFeature(_ s: SiteSummary) -> STAEntity {
        STAEntity(type: .featureOfInterest, id: .text("site-\(s.id)"), properties: [
            ("name", .string(s.site.name)), ("description", .string("site \(s.site.key) in \(s.site.jurisdiction)")),
            ("encodingType", .string("application/geo+json")), ("feature", .null),
        ])
    }

    func sensorFeature(_ sensor: AirSensor) -> STAEntity {
        STAEntity(type: .featureOfInterest, id: .text(sensor.code), properties: [
            ("name", .string(sensor.name)), ("description", .string("the air at sensor \(sensor.code)")),
            ("encodingType", .string("application/geo+json")), ("feature", point(sensor)),
        ])
    }

    func reading(_ stream: Int64, _ row: SQLRow) -> STAEntity {
        let t: Int64 = row["t"]
        return STAEntity(type: .observation, id: .text("\(stream)-\(t)"), properties: [
            ("phenomenonTime", .string(Timestamp.iso(t))), ("resultTime", .null), ("result", .number(row["value"])),
            ("resultQuality", (row["flag"] as String?).map(JSONValue.string) ?? .null),
            ("parameters", Self.object([("consumption", (row["consumption"] as Double?).map(JSONValue.number)),
                                        ("kg_co2e", (row["kg_co2e"] as Double?).map(JSONValue.number))])),
        ])
    }

    func airHour(_ code: String, _ parameter: AirParameter, _ row: SQLRow) -> STAEntity {
        let hour: Int64 = row["hour"]
        let flags = (row["flags"] as String).split(separator: ",").map { JSONValue.string(String($0)) }
        return STAEntity(type: .observation, id: .text("\(code):\(parameter.rawValue):\(hour)"), properties: [
            ("phenomenonTime", .string(Timestamp.iso(hour))), ("resultTime", .null),
            ("result", (row["value"] as Double?).map(JSONValue.number) ?? .null), ("resultQuality", .array(flags)),
            ("parameters", Self.object([("raw", (row["raw"] as Double?).map(JSONValue.number)),
                                        ("correction", (row["correction"] as String?).map(JSONValue.string))])),
        ])
    }
}
