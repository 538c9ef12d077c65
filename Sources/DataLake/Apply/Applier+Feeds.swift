import Foundation
import LakeStorage

/// What one feed's earlier actions in this apply leave for its later ones.
struct FeedLane {
    /// The kind of the feed's action that failed: its later actions are skipped (independent feeds
    /// go on, as Terraform does for independent resources).
    var failed: String?
    /// The feed's snapshot made a new version (a conditional prune runs).
    var newVersion = false
}

/// What the actions of one apply share while feeds run at once: the log (written a line at a time,
/// as each action finishes) and whether the lake's layout was made. Locked, since lanes run on
/// several threads.
final class ApplyRun: @unchecked Sendable {
    private let lock = NSLock()
    private let log: ApplyLog
    private var layoutReady = false

    init(log: ApplyLog) { self.log = log }

    var path: String? { lock.withLock { log.path } }

    func write(_ line: String, materialize: Bool = false) {
        lock.withLock { log.write(line, materialize: materialize) }
    }

    /// Makes the layout once, by the first action that needs it (a request or two on S3).
    func makeLayout(in storage: any LakeStorage) throws {
        try lock.withLock {
            guard !layoutReady else { return }
            try LakeLayout.create(in: storage)
            layoutReady = true
        }
    }

    /// The same for the log's directory, before a line that must be kept; a failure is the log's to report.
    func ensureLayout(in storage: any LakeStorage) {
        try? makeLayout(in: storage)
    }
}

/// `progress` called from several lanes, one call at a time, so the caller's closure never runs
/// concurrently with itself. (Unchecked: every call goes through the lock.)
private final class SerialProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let body: (ApplyProgress) -> Void
    init(_ body: @escaping (ApplyProgress) -> Void) { self.body = body }
    func callAsFunction(_ event: ApplyProgress) { lock.withLock { body(event) } }
}

extension Applier {
    /// Runs the feeds' actions (`actions`: plan positions and actions, after the lifecycle ones):
    /// one lane per feed, its actions in plan order, up to `maxParallelFeeds` lanes at once. The
    /// finished lines go to `progress` in plan order, each as soon as every earlier action's has.
    func runFeeds(_ actions: [(offset: Int, element: PlanAction)], run: ApplyRun,
                  progress: (ApplyProgress) -> Void) async -> [ActionResult] {
        var lanes: [[(offset: Int, element: PlanAction)]] = []
        var laneOfFeed: [String: Int] = [:]
        for item in actions {
            if let i = laneOfFeed[item.element.feed] {
                lanes[i].append(item)
            } else {
                laneOfFeed[item.element.feed] = lanes.count
                lanes.append([item])
            }
        }
        guard maxParallelFeeds > 1, lanes.count > 1 else {
            var states: [String: FeedLane] = [:]
            var results: [ActionResult] = []
            for (index, action) in actions {
                if stop?.reason != nil { break }
                let step = await self.step(action, index: index, lane: &states[action.feed, default: FeedLane()], run: run, progress: progress)
                progress(.finished(step.result, step.line))
                results.append(step.result)
                if step.result.interrupted { break }
            }
            return results
        }
        return await withoutActuallyEscaping(progress) { progress in
            let serial = SerialProgress(progress)
            return await withTaskGroup(of: [(result: ActionResult, line: String)].self) { group in
                var next = 0
                func startLane() {
                    let lane = lanes[next]
                    next += 1
                    group.addTask {
                        var state = FeedLane()
                        var steps: [(result: ActionResult, line: String)] = []
                        for (index, action) in lane {
                            if stop?.reason != nil { break }
                            let step = await self.step(action, index: index, lane: &state, run: run, progress: { serial($0) })
                            steps.append(step)
                            if step.result.interrupted { break }
                        }
                        return steps
                    }
                }
                while next < min(maxParallelFeeds, lanes.count) { startLane() }
                var done: [Int: (result: ActionResult, line: String)] = [:]
                var results: [ActionResult] = []
                var emitted = 0
                func emit(_ step: (result: ActionResult, line: String)) {
                    serial(.finished(step.result, step.line))
                    results.append(step.result)
                }
                for await steps in group {
                    for step in steps { done[step.result.index] = step }
                    while emitted < actions.count, let step = done[actions[emitted].offset] {
                        emit(step)
                        emitted += 1
                    }
                    if next < lanes.count { startLane() }
                }
                // A stop leaves actions without a result: the others still go out in plan order.
                for (index, _) in actions.dropFirst(emitted) { if let step = done[index] { emit(step) } }
                return results
            }
        }
    }
}
