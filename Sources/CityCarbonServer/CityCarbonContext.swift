import CityCarbonPages
import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core storage and the peer's address,
/// which the sign-in throttle counts by.
public struct CityCarbonContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Bodies decoded without an explicit limit stop here; uploads ask for more themselves.
    public var maxUploadSize: Int { BodyLimit.form }
}

/// How large a request body may be, by what it carries.
enum BodyLimit {
    /// A form of text fields.
    static let form = 64 * 1024
    /// An activity CSV, in the browser or through the API.
    static let upload = 32 * 1024 * 1024
}

extension Parameters {
    /// A path parameter as the client meant it: `Demo%20City` is `Demo City`.
    func decoded(_ name: String) throws -> String {
        let raw = try require(name)
        return raw.removingPercentEncoding ?? raw
    }
}
