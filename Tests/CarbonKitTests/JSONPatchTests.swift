import Foundation
import Testing
@testable import CarbonKit

/// JSON Patch against the examples of RFC 6902, Appendix A.
@Suite("JSON Patch (RFC 6902)")
struct JSONPatchTests {
    func json(_ text: String) throws -> JSONValue { JSONValue(try JSONReader.read(Data(text.utf8))) }

    func patched(_ document: String, _ patch: String) throws -> JSONValue { try JSONPatch.apply(json(patch), to: json(document)) }

    func same(_ a: JSONValue, _ b: String) throws -> Bool { try a.serialized() == json(b).serialized() }

    @Test func addingAnObjectMember() throws {
        #expect(try same(patched(#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux"}]"#), #"{"foo":"bar","baz":"qux"}"#))
    }

    @Test func addingAnArrayElementInsertsBeforeTheIndex() throws {
        #expect(try same(patched(#"{"foo":["bar","baz"]}"#, #"[{"op":"add","path":"/foo/1","value":"qux"}]"#), #"{"foo":["bar","qux","baz"]}"#))
    }

    @Test func removingAnArrayElement() throws {
        #expect(try same(patched(#"{"foo":["bar","qux","baz"]}"#, #"[{"op":"remove","path":"/foo/1"}]"#), #"{"foo":["bar","baz"]}"#))
    }

    @Test func replacingAValue() throws {
        #expect(try same(patched(#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"replace","path":"/baz","value":"boo"}]"#), #"{"baz":"boo","foo":"bar"}"#))
    }

    @Test func movingAValue() throws {
        let moved = try patched(#"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#, #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#)
        #expect(try same(moved, #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#))
    }

    @Test func appendingWithTheDash() throws {
        #expect(try same(patched(#"{"foo":["bar"]}"#, #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#), #"{"foo":["bar",["abc","def"]]}"#))
    }

    @Test func escapedPointerCharactersNameTheirMembers() throws {
        #expect(try same(patched(#"{"a/b":1,"m~n":2}"#, #"[{"op":"replace","path":"/a~1b","value":3},{"op":"remove","path":"/m~0n"}]"#), #"{"a/b":3}"#))
    }

    @Test func aFailedTestRefusesTheWholePatchNamingTheOperation() throws {
        let error = #expect(throws: InputErrors.self) {
            try patched(#"{"baz":"qux"}"#, #"[{"op":"replace","path":"/baz","value":"boo"},{"op":"test","path":"/baz","value":"bar"}]"#)
        }
        #expect(error?.issues.first?.location.field == "[1].path")
    }

    @Test func aMissingTargetIsAnErrorNotASilentAdd() throws {
        #expect(throws: InputErrors.self) { try patched(#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#) }
        #expect(throws: InputErrors.self) { try patched(#"{"foo":"bar"}"#, #"[{"op":"replace","path":"/nothing","value":1}]"#) }
        #expect(throws: InputErrors.self) { try patched(#"{"foo":[1]}"#, #"[{"op":"add","path":"/foo/01","value":2}]"#) }
        #expect(throws: InputErrors.self) { try patched(#"{"foo":"bar"}"#, #"[{"op":"frobnicate","path":"/foo"}]"#) }
        #expect(throws: InputErrors.self) { try patched(#"{"foo":"bar"}"#, #"{"op":"remove","path":"/foo"}"#) }
    }

    @Test func aValueIsNotMovedIntoItself() throws {
        #expect(throws: InputErrors.self) { try patched(#"{"a":{"b":1}}"#, #"[{"op":"move","from":"/a","path":"/a/c"}]"#) }
    }
}
