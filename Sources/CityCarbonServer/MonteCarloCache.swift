import CarbonPathways
import Synchronization

/// Monte Carlo results kept by everything they depend on: the resolved scenario, its base, the
/// number of runs, the seed and the language of the names. A run is seeded, so the same inputs
/// give the same result; any edit, a new inventory or a changed plan action changes the
/// scenario or its base and misses. Rendering a pathway page after an unrelated change (an
/// action's note, another year's publication) then takes milliseconds, not the runs' seconds.
final class MonteCarloCache: Sendable {
    struct Key: Hashable, Sendable {
        var scenario: Scenario
        var base: PathwayBase
        var runs: Int
        var seed: UInt64
        var language: String
    }

    /// At most this many results are kept; past it the oldest half goes.
    let capacity: Int
    private let held = Mutex<(results: [Key: MonteCarloResult], order: [Key])>(([:], []))
    /// Runs under way in the background, so that each starts once.
    private let running = Mutex<Set<Key>>([])

    init(capacity: Int = 32) { self.capacity = capacity }

    func result(_ model: PathwayModel, runs: Int, seed: UInt64, language: String) -> MonteCarloResult {
        let key = Key(scenario: model.scenario, base: model.base, runs: runs, seed: seed, language: language)
        if let hit = held.withLock({ $0.results[key] }) { return hit }
        let result = MonteCarlo.run(model, runs: runs, seed: seed, language: language)
        held.withLock { held in
            if held.results[key] == nil { held.order.append(key) }
            held.results[key] = result
            if held.order.count > capacity {
                for old in held.order.prefix(held.order.count / 2) { held.results[old] = nil }
                held.order.removeFirst(held.order.count / 2)
            }
        }
        return result
    }

    /// The result when it is held; else nil, with the runs started in the background (once), so
    /// that a page answers now and a later request finds them.
    func ifReady(_ model: PathwayModel, runs: Int, seed: UInt64, language: String) -> MonteCarloResult? {
        let key = Key(scenario: model.scenario, base: model.base, runs: runs, seed: seed, language: language)
        if let hit = held.withLock({ $0.results[key] }) { return hit }
        guard running.withLock({ $0.insert(key).inserted }) else { return nil }
        Task.detached(priority: .utility) {
            _ = self.result(model, runs: runs, seed: seed, language: language)
            self.running.withLock { _ = $0.remove(key) }
        }
        return nil
    }

    var count: Int { held.withLock { $0.results.count } }
}
