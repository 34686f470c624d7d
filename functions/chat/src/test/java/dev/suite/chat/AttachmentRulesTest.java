package dev.suite.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.suite.chat.domain.Attachments;
import dev.suite.shared.http.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The file-name rule at upload and the key rule at send agree: a name upload accepts is sendable, and no other. */
class AttachmentRulesTest {
    static boolean uploadAccepts(String name) {
        try {
            Attachments.fileName("fileName", name);
            return true;
        } catch (ApiException e) {
            return false;
        }
    }

    static boolean sendAccepts(String roomId, String key) {
        try {
            Attachments.checkKey(roomId, key);
            return true;
        } catch (ApiException e) {
            return false;
        }
    }

    @Test
    void namesAcceptedAtUploadAreExactlyTheOnesAcceptedAtSend() {
        List<String> names = List.of(
                "voice.webm",
                "a..b.png",
                "..png",
                ".hidden",
                "notes v2.txt",
                "x/y.png",
                "x\\y.png",
                "tab\there.txt",
                "ok-name_1.PDF",
                "a".repeat(200),
                "a".repeat(201),
                "résumé.pdf",
                "...",
                "a.",
                "trailing..");
        for (String name : names) {
            boolean upload = uploadAccepts(name);
            boolean send = sendAccepts("room-1", Attachments.prefix("room-1") + "01HZX5YQ3W8K/" + name);
            assertEquals(upload, send, "'" + name + "' upload " + upload + ", send " + send);
        }
        assertEquals(false, uploadAccepts("a..b.png"), "'..' is refused at upload, as at send");
    }

    @Test
    void aKeyOfAnotherRoomOrShapeIsRefused() {
        assertThrows(
                ApiException.class,
                () -> Attachments.checkKey("room-1", Attachments.prefix("room-2") + "01HZX5/voice.webm"));
        assertThrows(
                ApiException.class, () -> Attachments.checkKey("room-1", Attachments.prefix("room-1") + "voice.webm"));
        assertThrows(
                ApiException.class,
                () -> Attachments.checkKey("room-1", Attachments.prefix("room-1") + "../x/voice.webm"));
    }
}
