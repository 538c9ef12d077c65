import ArgumentParser
import DataLake

/// `datalake feeds enable|disable|archive NAME`: flips one key in the feed's own file.
enum FeedsStateCommand {
    static func edit(_ config: ConfigOptions, feed: String, key: String, value: Bool) throws {
        let desired = try config.loadDesired()
        guard let definition = desired.feed(named: feed) else {
            let hint = Suggestion.closest(to: feed, among: desired.feeds.map(\.spec.name)).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw Terminal.fail("no feed named \"\(feed)\" in \(desired.config.feedsDirectory)\(hint)")
        }
        let current = key == "enabled" ? definition.spec.enabled : definition.spec.archived
        if current == value {
            print("\(feed) already has \(key): \(value) in \(definition.location.file); nothing to change")
            return
        }
        do {
            let path = try FeedFileEditor.set(key, to: value, in: definition)
            print("set \(key): \(value) for \(feed) in \(path); \(FeedsCommand.nextStep)")
        } catch { throw Terminal.fail(error) }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Set `enabled: true` in the feed's file.")
        @OptionGroup var config: ConfigOptions
        @Argument(help: "Feed name.") var feed: String
        func run() throws { try FeedsStateCommand.edit(config, feed: feed, key: "enabled", value: true) }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "disable", abstract: "Set `enabled: false` in the feed's file (data is kept).")
        @OptionGroup var config: ConfigOptions
        @Argument(help: "Feed name.") var feed: String
        func run() throws { try FeedsStateCommand.edit(config, feed: feed, key: "enabled", value: false) }
    }

    struct Archive: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "archive", abstract: "Set `archived: true` in the feed's file (data is never deleted).")
        @OptionGroup var config: ConfigOptions
        @Argument(help: "Feed name.") var feed: String
        func run() throws { try FeedsStateCommand.edit(config, feed: feed, key: "archived", value: true) }
    }
}
