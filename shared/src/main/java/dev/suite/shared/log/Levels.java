package dev.suite.shared.log;

import dev.suite.shared.Config;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.event.Level;

/**
 * The level of each logger: the longest configured prefix of its name wins. The root level is Lambda's application log
 * level (AWS_LAMBDA_LOG_LEVEL, set from the template's LoggingConfig), else POWERTOOLS_LOG_LEVEL, else INFO; the AWS SDK
 * logs warnings and errors only. The emulators quiet their libraries the same way ({@link #set}).
 */
public final class Levels {
    private static final Map<String, Level> CONFIGURED = new ConcurrentHashMap<>();
    private static final Map<String, Level> RESOLVED = new ConcurrentHashMap<>();

    static {
        Config env = Config.fromSystem();
        CONFIGURED.put("", root(env.get("AWS_LAMBDA_LOG_LEVEL").orElse(null), env.get("POWERTOOLS_LOG_LEVEL").orElse(null)));
        CONFIGURED.put("software.amazon.awssdk", Level.WARN);
    }

    private Levels() {
    }

    /** Sets the level of every logger whose name starts with {@code prefix} ("" is the root). */
    public static void set(String prefix, Level level) {
        CONFIGURED.put(prefix, level);
        RESOLVED.clear();
    }

    static boolean enabled(String logger, Level level) {
        return level.toInt() >= RESOLVED.computeIfAbsent(logger, Levels::resolve).toInt();
    }

    private static Level resolve(String logger) {
        String best = "";
        for (String prefix : CONFIGURED.keySet()) {
            if (prefix.length() > best.length() && (logger.equals(prefix) || logger.startsWith(prefix + "."))) {
                best = prefix;
            }
        }
        return CONFIGURED.get(best);
    }

    static Level root(String lambdaLevel, String powertoolsLevel) {
        for (String value : new String[] {lambdaLevel, powertoolsLevel}) {
            if (value != null && !value.isBlank()) {
                String v = value.trim().toUpperCase(Locale.ROOT);
                if (v.equals("FATAL")) {
                    return Level.ERROR;
                }
                try {
                    return Level.valueOf(v);
                } catch (IllegalArgumentException e) {
                    // an unknown level name: fall through to the next setting
                }
            }
        }
        return Level.INFO;
    }
}
