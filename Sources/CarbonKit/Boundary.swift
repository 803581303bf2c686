/// A jurisdiction's boundary: one or more polygons of WGS 84 longitude/latitude rings, the
/// first ring of each its exterior, the rest its holes (RFC 7946 §3.1.6).
///
/// Reading checks what a map and an area need: finite positions on the globe, rings of at
/// least four positions that close on their first, and no ring crossing itself or another
/// ring of its polygon. Rings may come wound either way (many GIS tools write exteriors
/// clockwise); they are kept wound as RFC 7946 says — exteriors counter-clockwise, holes
/// clockwise — so everything written out follows the standard.
public struct Boundary: Sendable, Equatable {
    public struct Position: Sendable, Equatable {
        public var longitude: Double
        public var latitude: Double
        public init(_ longitude: Double, _ latitude: Double) { (self.longitude, self.latitude) = (longitude, latitude) }
    }
    public typealias Ring = [Position]

    /// Each polygon's rings, exterior first, wound as RFC 7946 says.
    public private(set) var polygons: [[Ring]]

    /// Reads a GeoJSON Polygon or MultiPolygon geometry. `place` prefixes each problem's
    /// field (`features[3].geometry`), so a message says which ring and which position.
    public init(geoJSON geometry: JSONValue, place: String) throws(InputErrors) {
        var issues: [InputIssue] = []
        func fail(_ field: String, _ value: String?, _ reason: String) {
            if issues.count < 20 { issues.append(InputIssue(InputLocation(field: field), value: value, reason: reason)) }
        }
        guard case .object(let members) = geometry else { throw InputErrors([InputIssue(InputLocation(field: place), reason: "is not a GeoJSON geometry object")]) }
        let fields = Dictionary(members, uniquingKeysWith: { a, _ in a })
        let type = fields["type"].flatMap { if case .string(let s) = $0 { s } else { nil } }
        let coordinates = fields["coordinates"] ?? .null
        var raw: [(JSONValue, String)] = []
        switch type {
        case "Polygon": raw = [(coordinates, "\(place).coordinates")]
        case "MultiPolygon":
            guard case .array(let items) = coordinates, !items.isEmpty else {
                throw InputErrors([InputIssue(InputLocation(field: "\(place).coordinates"), reason: "a MultiPolygon needs at least one polygon")])
            }
            raw = items.enumerated().map { ($1, "\(place).coordinates[\($0)]") }
        default:
            throw InputErrors([InputIssue(InputLocation(field: "\(place).type"), value: type, reason: "is not Polygon or MultiPolygon")])
        }
        var polygons: [[Ring]] = []
        for (value, field) in raw {
            guard case .array(let ringValues) = value, !ringValues.isEmpty else { fail(field, nil, "a polygon needs at least its exterior ring"); continue }
            var rings: [Ring] = []
            for (r, ringValue) in ringValues.enumerated() {
                let ringField = "\(field)[\(r)]"
                guard case .array(let positions) = ringValue else { fail(ringField, nil, "a ring is a list of positions"); continue }
                var ring: Ring = []
                for (p, positionValue) in positions.enumerated() {
                    guard let position = Self.position(positionValue) else {
                        fail("\(ringField)[\(p)]", positionValue.serialized(), "is not a [longitude, latitude] position with longitude −180…180 and latitude −90…90")
                        continue
                    }
                    ring.append(position)
                }
                guard ring.count == positions.count else { continue }
                guard ring.count >= 4 else { fail(ringField, String(ring.count), "a ring needs at least 4 positions (a triangle and its closing position)"); continue }
                guard ring.first == ring.last else {
                    fail(ringField, positions.last?.serialized(), "does not close: its last position must repeat its first \(positions[0].serialized())")
                    continue
                }
                rings.append(ring)
            }
            guard rings.count == ringValues.count else { continue }
            guard let check = Self.firstCrossing(rings) else {
                fail(field, String(rings.reduce(0) { $0 + $1.count }),
                     "is too complex to check for crossings here (its segments overlap too much): simplify it, e.g. to 1 m tolerance")
                continue
            }
            if let crossing = check {
                fail("\(field)[\(crossing.ring)]", "\(crossing.position)", crossing.other == crossing.ring
                     ? "crosses itself at its segment from position \(crossing.position) (a boundary must not self-intersect)"
                     : "crosses ring \(crossing.other) of the same polygon at its segment from position \(crossing.position)")
                continue
            }
            if let flat = rings.firstIndex(where: { Self.signedArea($0) == 0 }) {
                fail("\(field)[\(flat)]", nil, "encloses no area (all its positions lie on one line)")
                continue
            }
            polygons.append(rings.enumerated().map { index, ring in
                // Exterior counter-clockwise (positive area), holes clockwise.
                let counterClockwise = Self.signedArea(ring) > 0
                return counterClockwise == (index == 0) ? ring : Array(ring.reversed())
            })
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        self.polygons = polygons
    }

    /// The geometry as GeoJSON: a Polygon for one polygon, else a MultiPolygon.
    public var geoJSON: JSONValue {
        func ring(_ r: Ring) -> JSONValue { .array(r.map { .array([.number($0.longitude), .number($0.latitude)]) }) }
        func polygon(_ p: [Ring]) -> JSONValue { .array(p.map(ring)) }
        return polygons.count == 1
            ? .object([("type", .string("Polygon")), ("coordinates", polygon(polygons[0]))])
            : .object([("type", .string("MultiPolygon")), ("coordinates", .array(polygons.map(polygon)))])
    }

    static func position(_ value: JSONValue) -> Position? {
        guard case .array(let xy) = value, (2...3).contains(xy.count) else { return nil }
        func number(_ v: JSONValue) -> Double? {
            switch v {
            case .number(let x): x
            case .integer(let i): Double(i)
            default: nil
            }
        }
        guard let x = number(xy[0]), let y = number(xy[1]), x.isFinite, y.isFinite, (-180...180).contains(x), (-90...90).contains(y) else { return nil }
        if xy.count == 3, number(xy[2])?.isFinite != true { return nil }
        return Position(x, y)
    }

    /// Twice the ring's area in square degrees, positive when counter-clockwise (the
    /// shoelace formula on longitude/latitude: its sign is all the winding needs).
    static func signedArea(_ ring: Ring) -> Double {
        var sum = 0.0
        for i in 0..<(ring.count - 1) {
            sum += ring[i].longitude * ring[i + 1].latitude - ring[i + 1].longitude * ring[i].latitude
        }
        return sum
    }

    /// The first pair of segments of `rings` that cross or touch, other than a segment and
    /// its neighbours in the same ring. Segments are bucketed on a grid so that a boundary of
    /// tens of thousands of positions is checked in about linear time. Nil (rather than minutes
    /// of work) when the segments overlap so much — a star of long spikes — that the check
    /// would exceed its budget; `.some(nil)` when nothing crosses.
    static func firstCrossing(_ rings: [Ring]) -> (ring: Int, position: Int, other: Int)?? {
        struct Segment { var ring: Int; var index: Int; var a: Position; var b: Position; var count: Int }
        var segments: [Segment] = []
        for (r, ring) in rings.enumerated() {
            for i in 0..<(ring.count - 1) where ring[i] != ring[i + 1] {
                segments.append(Segment(ring: r, index: i, a: ring[i], b: ring[i + 1], count: ring.count - 1))
            }
        }
        guard segments.count > 2 else { return .some(nil) }
        // The work a real boundary never needs: cells entered, and segment pairs tested.
        var insertions = 0, tests = 0
        let insertionBudget = 40 * segments.count + 1_000_000, testBudget = 30_000_000
        let xs = segments.flatMap { [$0.a.longitude, $0.b.longitude] }, ys = segments.flatMap { [$0.a.latitude, $0.b.latitude] }
        let (minX, maxX, minY, maxY) = (xs.min()!, xs.max()!, ys.min()!, ys.max()!)
        let side = max(1, Int(Double(segments.count).squareRoot()))
        let width = max((maxX - minX) / Double(side), 1e-12), height = max((maxY - minY) / Double(side), 1e-12)
        func cell(_ x: Double, _ y: Double) -> (Int, Int) {
            (min(side - 1, max(0, Int((x - minX) / width))), min(side - 1, max(0, Int((y - minY) / height))))
        }
        var grid: [Int: [Int]] = [:]
        for (s, segment) in segments.enumerated() {
            let (x0, y0) = cell(min(segment.a.longitude, segment.b.longitude), min(segment.a.latitude, segment.b.latitude))
            let (x1, y1) = cell(max(segment.a.longitude, segment.b.longitude), max(segment.a.latitude, segment.b.latitude))
            insertions += (x1 - x0 + 1) * (y1 - y0 + 1)
            if insertions > insertionBudget { return nil }
            for gx in x0...x1 { for gy in y0...y1 { grid[gx * side + gy, default: []].append(s) } }
        }
        var best: (ring: Int, position: Int, other: Int)?
        for key in grid.keys.sorted() {
            let members = grid[key]!
            tests += members.count * (members.count - 1) / 2
            if tests > testBudget { return nil }
            for i in members.indices {
                for j in members.indices where j > i {
                    let (s, t) = (segments[members[i]], segments[members[j]])
                    if s.ring == t.ring {
                        let gap = abs(s.index - t.index)
                        if gap == 1 || gap == s.count - 1 { continue }   // neighbours share an end
                    }
                    guard intersects(s.a, s.b, t.a, t.b) else { continue }
                    let first = (s.ring, s.index) < (t.ring, t.index) ? s : t, second = first.index == s.index && first.ring == s.ring ? t : s
                    let found = (ring: first.ring, position: first.index, other: second.ring)
                    if best.map({ (found.ring, found.position) < ($0.ring, $0.position) }) ?? true { best = found }
                }
            }
        }
        return best
    }

    static func intersects(_ p1: Position, _ p2: Position, _ q1: Position, _ q2: Position) -> Bool {
        func orientation(_ a: Position, _ b: Position, _ c: Position) -> Int {
            let value = (b.longitude - a.longitude) * (c.latitude - a.latitude) - (b.latitude - a.latitude) * (c.longitude - a.longitude)
            return value > 0 ? 1 : value < 0 ? -1 : 0
        }
        func onSegment(_ a: Position, _ b: Position, _ c: Position) -> Bool {
            min(a.longitude, b.longitude) <= c.longitude && c.longitude <= max(a.longitude, b.longitude)
                && min(a.latitude, b.latitude) <= c.latitude && c.latitude <= max(a.latitude, b.latitude)
        }
        let (o1, o2, o3, o4) = (orientation(p1, p2, q1), orientation(p1, p2, q2), orientation(q1, q2, p1), orientation(q1, q2, p2))
        if o1 != o2 && o3 != o4 && o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0 { return true }
        if o1 == 0 && onSegment(p1, p2, q1) { return true }
        if o2 == 0 && onSegment(p1, p2, q2) { return true }
        if o3 == 0 && onSegment(q1, q2, p1) { return true }
        if o4 == 0 && onSegment(q1, q2, p2) { return true }
        return false
    }
}
