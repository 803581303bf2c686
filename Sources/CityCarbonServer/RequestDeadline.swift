import CityCarbonPages
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request does not arrive in time, so that slow or idle clients
/// cannot hold connections open for ever (a slowloris sends a header byte every few seconds,
/// which no idle timer notices).
///
/// A request's head must be complete within `head` of the connection opening or of the last
/// response; its body within `body` of the head. While the server works on a request nothing
/// is timed: a long ingestion is the server's time, not the client's.
///
/// Each request moves the deadline two or three times; scheduling and cancelling a timer each
/// time cost a busy server a tenth of its answers. So one timer stays scheduled, the deadline
/// is a time that moving only writes down, and the timer, when it fires, closes the connection
/// if the deadline has passed or waits again until it will.
final class RequestDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let head: TimeAmount
    let body: TimeAmount
    /// When the connection is closed unless something moves it; nil while the server works.
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?

    init(head: TimeAmount, body: TimeAmount) {
        self.head = head
        self.body = body
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, head) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context, head)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(context, body)
        case .body: break
        case .end: disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // After a response the connection may wait for the next request, but not for ever.
        if case .end = unwrapOutboundIn(data) { arm(context, head) }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { stop() }

    /// The connection is gone: nothing is timed any more.
    private func stop() {
        deadline = nil
        timer?.cancel()
        timer = nil
    }

    private func arm(_ context: ChannelHandlerContext, _ timeout: TimeAmount) {
        let at = NIODeadline.now() + timeout
        // A timer due later than the new deadline would let it pass: schedule an earlier one.
        if let due = deadline, timer != nil, due <= at {
            deadline = at
            return
        }
        deadline = at
        timer?.cancel()
        schedule(context, at: at)
    }

    private func schedule(_ context: ChannelHandlerContext, at: NIODeadline) {
        let channel = context.channel
        // The handler and its context live on the channel's event loop, where the timer runs.
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: at) { [weak self] in
            guard let self else { return }
            self.timer = nil
            guard let deadline = self.deadline else { return }
            if deadline <= .now() {
                channel.close(promise: nil)
            } else {
                self.schedule(context, at: deadline)
            }
        }
    }

    private func disarm() {
        deadline = nil
    }
}
