package dev.suite.emulators;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dynamodb:LeadingKeys conditions of template.yaml, proven on the evaluator: the key prefixes the code uses only.
 */
class TemplatePoliciesTest {
    static final Template T = Template.repo();
    static final IamPolicies IAM =
            IamPolicies.of(T, new Resolver(T, Map.of("AWS::Region", Emulators.REGION), Map.of()));

    static boolean allowed(String fn, String action, String table, String leadingKey) {
        return IAM.evaluate(
                        fn,
                        new IamPolicies.Request(
                                action,
                                "arn:aws:dynamodb:us-east-1:000000000000:table/" + table,
                                Map.of("dynamodb:LeadingKeys", List.of(leadingKey))))
                .allowed();
    }

    @Test
    void coachingWritesDirectRoomsOnly() {
        assertTrue(allowed("CoachingFunction", "dynamodb:PutItem", "RoomsTable", "dm-0123abcd"));
        assertTrue(
                allowed("CoachingFunction", "dynamodb:UpdateItem", "RoomsTable", "dm-0123abcd"),
                "joining an existing direct room");
        assertTrue(allowed("CoachingFunction", "dynamodb:PutItem", "RoomMembersTable", "dm-0123abcd"));
        assertFalse(allowed("CoachingFunction", "dynamodb:PutItem", "RoomsTable", "01JGROUPROOMID"), "a group room");
        assertFalse(allowed("CoachingFunction", "dynamodb:UpdateItem", "RoomsTable", "01JGROUPROOMID"));
        assertFalse(allowed("CoachingFunction", "dynamodb:PutItem", "RoomMembersTable", "01JGROUPROOMID"));
    }

    @Test
    void theAtRiskJobPutsOnlyItsOwnIdempotencyRecords() {
        assertTrue(allowed(
                "CoachingAtRiskFunction", "dynamodb:PutItem", "IdempotencyTable", "coaching-at-risk#c#u#2026-12-01"));
        assertTrue(
                allowed("CoachingAtRiskFunction", "dynamodb:PutItem", "IdempotencyTable", "priming#0f8e"),
                "priming's refused write");
        assertFalse(
                allowed("CoachingAtRiskFunction", "dynamodb:PutItem", "IdempotencyTable", "room#u#key"),
                "another function's record");
        assertFalse(allowed("CoachingAtRiskFunction", "dynamodb:PutItem", "IdempotencyTable", "pay#u#key"));
    }

    @Test
    void chatRoomsReadsAndWritesOnlyItsRoomCreationKeys() {
        assertTrue(allowed("ChatRoomsFunction", "dynamodb:PutItem", "IdempotencyTable", "room#user#key"));
        assertTrue(allowed("ChatRoomsFunction", "dynamodb:GetItem", "IdempotencyTable", "room#user#key"));
        assertFalse(allowed("ChatRoomsFunction", "dynamodb:PutItem", "IdempotencyTable", "coaching-at-risk#c#u#d"));
        assertFalse(allowed("ChatRoomsFunction", "dynamodb:DeleteItem", "IdempotencyTable", "room#user#key"));
    }
}
