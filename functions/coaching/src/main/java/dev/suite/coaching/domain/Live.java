package dev.suite.coaching.domain;

/** Frames to a user's open WebSocket connections (the shared push piece in AWS and locally, a recorder in tests). */
@FunctionalInterface
public interface Live {
    /**
     * Sends the frame (written as JSON) to every open connection of the user; never throws: the data is stored first.
     */
    void send(String userId, Object frame);
}
