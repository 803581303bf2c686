import CarbonKit
import Testing
@testable import CarbonMonitoring

/// SensorThings API 1.1 §9.3 (query options on OData 4.0's URL conventions) and §9.2 (resource paths).
@Suite("SensorThings queries")
struct SensorThingsQueryTests {
    /// An observation as a filter sees it; `Datastream/…` resolves to a fixed datastream.
    struct Fixture: STAFilterSubject {
        var values: [String: JSONValue]
        var datastream: [String: JSONValue] = [:]
        func value(at path: ArraySlice<String>) -> STAValue {
            if path.first == "Datastream" { return Fixture(values: datastream).value(at: path.dropFirst()) }
            guard let name = path.first, var value = values[name] else { return .null }
            for key in path.dropFirst() {
                guard case let .object(members) = value, let next = members.first(where: { $0.0 == key })?.1 else { return .null }
                value = next
            }
            return STAValue.from(value, asTime: STAEntityType.timeProperties.contains(name))
        }
    }

    let pm = Fixture(values: ["result": .number(38.5), "phenomenonTime": .string("2026-03-01T08:00:00Z"),
                              "parameters": .object([("raw", .number(52))]), "resultQuality": .null],
                     datastream: ["name": .string("JK-001 pm25"), "unitOfMeasurement": .object([("symbol", .string("µg/m³"))])])

    func filter(_ text: String) throws -> Bool { try STAExpression.parse(text).matches(pm, now: 1_800_000_000) }

    @Test func comparisonsCombineWithAndOrAndNotByPrecedence() throws {
        #expect(try filter("result gt 35 and phenomenonTime ge 2026-03-01T00:00:00Z"))
        #expect(try filter("result lt 10 or result gt 35 and result le 40"))
        #expect(try !filter("(result lt 10 or result gt 35) and result gt 40"))
        #expect(try filter("not (result eq 38)"))
        #expect(try filter("result ne null and resultQuality eq null"))
        #expect(try STAExpression.parse("a eq 1 or b eq 2 and c eq 3")
                == .binary(.or, .binary(.eq, .member(["a"]), .literal(.number(1))),
                           .binary(.and, .binary(.eq, .member(["b"]), .literal(.number(2))), .binary(.eq, .member(["c"]), .literal(.number(3))))))
    }

    @Test func timesCompareAcrossZonesAndFractions() throws {
        #expect(try filter("phenomenonTime eq 2026-03-01T16:00:00+08:00"))
        #expect(try filter("phenomenonTime lt 2026-03-01T08:00:00.5Z"))
        #expect(try filter("phenomenonTime gt 2026-03-01"))
        #expect(try filter("phenomenonTime sub duration'PT2H' eq 2026-03-01T06:00:00Z"))
        #expect(try filter("year(phenomenonTime) eq 2026 and month(phenomenonTime) eq 3 and hour(phenomenonTime) eq 8"))
    }

    @Test func arithmeticAndFunctionsFollowTable23() throws {
        #expect(try filter("result mul 2 sub 7 eq 70"))
        #expect(try filter("parameters/raw div result gt 1.3"))
        #expect(try filter("round(result) eq 39 and floor(result) eq 38 and ceiling(result) eq 39"))
        #expect(try filter("substringof('pm25', Datastream/name) and startswith(Datastream/name, 'JK') and endswith(Datastream/name, '25')"))
        #expect(try filter("length(Datastream/name) eq 11 and indexof(Datastream/name, 'pm') eq 7"))
        #expect(try filter("tolower(concat('PM', '25')) eq 'pm25' and substring('JK-001', 3) eq '001' and substring('JK-001', 0, 2) eq 'JK'"))
        #expect(try filter("Datastream/unitOfMeasurement/symbol eq 'µg/m³'"))
        #expect(try filter("geo.distance(geography'POINT(0 0)', geography'POINT(3 4)') eq 5"))
        // Division by zero is null, which is not true: the entity is left out, the request is not refused.
        #expect(try !filter("result div 0 gt 1"))
        #expect(try filter("'it''s' eq concat('it', '''s')"))
    }

    @Test func aBadFilterIsRefusedAtTheCharacterWhereItGoesWrong() {
        func error(_ text: String) -> STAQueryError? {
            do { _ = try STAExpression.parse(text); return nil } catch { return error }
        }
        #expect(error("result gt")?.position == 10)
        #expect(error("name eq 'abc")?.message.contains("not closed") == true)
        #expect(error("name eq 'abc")?.position == 9)
        #expect(error("result gtt 5")?.position == 8)
        #expect(error("frobnicate(result) eq 1")?.message.contains("not a SensorThings function") == true)
        #expect(error("length('a', 'b') eq 1")?.message.contains("takes 1") == true)
        #expect(error("(result gt 5")?.message.contains("expected ')'") == true)
        #expect(error("result eq 1 eq 2")?.message.contains("do not chain") == true)
        #expect(error("phenomenonTime gt 2026-02-30T00:00:00Z")?.message.contains("not an ISO 8601") == true)
        #expect(error("result gt 1e999")?.message.contains("not a number") == true)
        #expect(error("st_within(location, geography'POLYGON((0 0, 1 0, 1 1, 0 0))')")?.unsupported == true)
        #expect(error("")?.message.contains("ends too early") == true)
        // However deep the nesting, the answer is a refusal, not a crash.
        #expect(error(String(repeating: "(", count: 1000) + "1" + String(repeating: ")", count: 1000))?.message.contains("deep") == true)
        #expect(error(String(repeating: "not ", count: 500) + "true")?.message.contains("deep") == true)
        #expect(error(String(repeating: "- ", count: 1000) + "1 eq 1")?.message.contains("deep") == true)
        #expect(error(String(repeating: "(", count: 63) + "result gt 1" + String(repeating: ")", count: 63)) == nil)
    }

    /// A filter that can never hold, whatever the entities, is an error, not an empty answer.
    @Test func aComparisonOfKindsThatNeverMeetIsRefused() throws {
        for filter in ["result gt 'abc'", "result div 0 gt 1", "result mod 0 eq 1", "phenomenonTime lt 5", "result add 'x' gt 1",
                       "phenomenonTime gt 'abc'", "not result", "result gt 1 and 'x'",
                       "not (result eq 'high')", "Observations/any(o: o/result gt 'abc')"] where !filter.contains("any(") {
            #expect(throws: STAQueryError.self, "\(filter)") { try STAQueryOptions.parse([("$filter", filter)]) }
        }
        let nested = #expect(throws: STAQueryError.self) { try STAQueryOptions.parse([("$expand", "Observations($filter=result gt 'abc')")]) }
        #expect(nested?.message.contains("compares a number with text") == true)
        for filter in ["result gt 35", "phenomenonTime ge 2026-03-01T00:00:00Z", "phenomenonTime ge '2026-03-01T00:00:00Z'", "name eq 'x'",
                       "result div 2 gt 1", "properties/owner eq 'NGO'", "result eq null"] {
            #expect(throws: Never.self, "\(filter)") { _ = try STAQueryOptions.parse([("$filter", filter)]) }
        }
    }

    @Test func optionsParseWithNestedExpansions() throws {
        let options = try STAQueryOptions.parse([
            ("$expand", "Datastreams($select=name,id;$top=2;$expand=Observations($orderby=phenomenonTime desc;$top=1)),Locations"),
            ("$select", "name,@iot.id"), ("$orderby", "name desc, id"), ("$top", "5"), ("$skip", "10"), ("$count", "true"),
            ("$filter", "startswith(name, 'A(1)')"),
        ])
        #expect(options.select == ["name", "id"])
        #expect(options.top == 5 && options.skip == 10 && options.count)
        #expect(options.orderBy.count == 2 && options.orderBy[0].descending && !options.orderBy[1].descending)
        #expect(options.expand.map(\.path) == [["Datastreams"], ["Locations"]])
        let inner = options.expand[0].options
        #expect(inner.select == ["name", "id"] && inner.top == 2)
        #expect(inner.expand.first?.options.top == 1 && inner.expand.first?.options.orderBy.first?.descending == true)
        // A path expands each step.
        let path = try STAQueryOptions.parse([("$expand", "Datastreams/Observations")])
        #expect(path.expand.first?.path == ["Datastreams"] && path.expand.first?.options.expand.first?.path == ["Observations"])
    }

    @Test func pagingAndUnknownOptionsAreRefused() {
        #expect(throws: STAQueryError.self) { try STAQueryOptions.parse([("$top", "1001")]) }
        #expect(throws: STAQueryError.self) { try STAQueryOptions.parse([("$top", "-1")]) }
        #expect(throws: STAQueryError.self) { try STAQueryOptions.parse([("$skip", "9999999999999")]) }
        #expect(throws: STAQueryError.self) { try STAQueryOptions.parse([("$count", "yes")]) }
        #expect(throws: STAQueryError.self) { try STAQueryOptions.parse([("$top", "1"), ("$top", "2")]) }
        #expect(throws: STAQueryError.self) { try STAQueryOptions.parse([("$frobnicate", "1")]) }
        #expect(throws: STAQueryError.self) {
            try STAQueryOptions.parse([("$expand", String(repeating: "Datastreams($expand=", count: 50) + "Thing" + String(repeating: ")", count: 50))])
        }
        do { _ = try STAQueryOptions.parse([("$resultFormat", "GeoJSON")]); Issue.record("accepted") } catch { #expect(error.unsupported) }
        do { _ = try STAQueryOptions.parse([("$search", "pm")]); Issue.record("accepted") } catch { #expect(error.unsupported) }
        #expect((try? STAQueryOptions.parse([("$resultFormat", "dataArray"), ("name", "ignored")]))?.dataArray == true)
    }

    @Test func resourcePathsNameSetsEntitiesNavigationPropertiesAndReferences() throws {
        #expect(try STAPath.parse("Things").segments == [.entities(.thing, name: "Things", id: nil, many: true)])
        #expect(try STAPath.parse("Things(1)/Datastreams").segments
                == [.entities(.thing, name: "Things", id: .integer(1), many: true), .entities(.datastream, name: "Datastreams", id: nil, many: true)])
        #expect(try STAPath.parse("Datastreams('JK-001:pm25')/Thing/name/$value").segments
                == [.entities(.datastream, name: "Datastreams", id: .text("JK-001:pm25"), many: true),
                    .entities(.thing, name: "Thing", id: nil, many: false), .property("name"), .value])
        #expect(try STAPath.parse("Observations('O''Brien')").segments == [.entities(.observation, name: "Observations", id: .text("O'Brien"), many: true)])
        #expect(try STAPath.parse("Things(1)/Datastreams/$ref").segments.last == .ref)
        #expect(try STAPath.parse("Things('a/b')/Datastreams").segments.first == .entities(.thing, name: "Things", id: .text("a/b"), many: true))
        for bad in ["", "Thingz", "Things(1", "Things(x)", "Things/Datastreams", "Things(1)/Sensor", "Things(1)/name/extra",
                    "Datastreams(1)/Thing(2)", "Things(1)/$value", "Things('a'b')"] {
            #expect(throws: STAQueryError.self, "\(bad)") { try STAPath.parse(bad) }
        }
    }

    @Test func anObservationFilterNarrowsTheStoresReadToItsTimeAndResultBounds() throws {
        let window = STAObservationWindow(try STAExpression.parse(
            "phenomenonTime ge 2026-03-01T00:00:00Z and 2026-03-02T00:00:00Z gt phenomenonTime and result gt 35 and result le 80 and name eq 'x'"))
        #expect(window.from == 1_772_323_200 && window.fromInclusive)
        #expect(window.to == 1_772_409_600 && !window.toInclusive)
        #expect(window.resultAbove == 35 && !window.resultAboveInclusive && window.resultBelow == 80 && window.resultBelowInclusive)
        // The name term is not a bound: the store may narrow, but only the filter may count.
        #expect(!window.exact)
        #expect(STAObservationWindow(try STAExpression.parse("phenomenonTime ge 2026-03-01T00:00:00Z and result gt 35")).exact)
        // An or is not narrowed: the store reads everything, the filter decides.
        let either = STAObservationWindow(try STAExpression.parse("result gt 35 or phenomenonTime ge 2026-03-01T00:00:00Z"))
        #expect(either.from == nil && either.resultAbove == nil && !either.exact)
    }

    @Test func timesFarOutsideTheCalendarGiveNullNotACrash() throws {
        for text in ["year(phenomenonTime add duration'P99999999999999D') eq 1", "hour(phenomenonTime sub duration'P9999999999999999999999D') eq 1",
                     "day(date(phenomenonTime add duration'P99999999999999D')) eq 1", "fractionalseconds(phenomenonTime add duration'PT1e3S') eq 0"] {
            let result = try? STAExpression.parse(text).evaluate(pm, now: 1_800_000_000)
            #expect(result == nil || result == .bool(false) || result == .null, "\(text)")
        }
        #expect(STAValue.duration("P" + String(repeating: "9", count: 400) + "D") == nil)
    }

    @Test func durationsAndIntervalsReadAsISO8601() {
        #expect(STAValue.duration("P1DT2H30M") == 95_400)
        #expect(STAValue.duration("PT0.5S") == 0.5)
        #expect(STAValue.duration("P1Y") == nil)
        #expect(STAValue.duration("P") == nil)
        #expect(STAValue.from(.string("2026-03-01T00:00:00Z/2026-03-01T01:00:00Z"), asTime: true) == .interval(1_772_323_200, 1_772_326_800))
        #expect(STAValue.iso(1_772_323_200.25) == "2026-03-01T00:00:00.250Z")
    }
}

@Suite("SensorThings query names")
struct SensorThingsQueryNameTests {
    func refusal(_ pairs: [(String, String)], _ type: STAEntityType) -> STAQueryError? {
        do { try STAQueryOptions.parse(pairs).check(for: type); return nil } catch { return error }
    }

    @Test func namesAnEntityTypeDoesNotHaveAreRefused() {
        #expect(refusal([("$select", "name,0000")], .thing)?.message == "Thing has no property 0000")
        #expect(refusal([("$expand", "Datastreams($select=nope)")], .thing)?.option == "$expand(Datastreams)/$select")
        #expect(refusal([("$expand", "Observations")], .thing)?.message.contains("not a navigation property") == true)
        #expect(refusal([("$filter", "nme eq 'x'")], .thing)?.message == "Thing has no property nme")
        #expect(refusal([("$filter", "Datastreams/name eq 'x'")], .thing)?.message.contains("is a set") == true)
        #expect(refusal([("$orderby", "Datastream/Thing/nope")], .observation) != nil)
        #expect(refusal([("$select", String(repeating: "a", count: 501))], .thing)?.message.contains("at most 500") == true)
    }

    @Test func propertiesNavigationAndNestedKeysAreAccepted() {
        #expect(refusal([("$select", "id,name,Datastreams"), ("$filter", "properties/owner eq 'x' and id gt 2"),
                         ("$expand", "Datastreams($filter=unitOfMeasurement/symbol eq 'kWh';$expand=Observations($orderby=phenomenonTime))")],
                        .thing) == nil)
        #expect(refusal([("$filter", "Datastream/Thing/properties/district eq 'x'")], .observation) == nil)
    }
}
