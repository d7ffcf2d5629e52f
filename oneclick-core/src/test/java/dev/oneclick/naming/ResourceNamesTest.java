package dev.oneclick.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.InvalidNameException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceNamesTest {
    private static final ProjectGuid GUID = ProjectGuid.parse("3F2B8C1E-9D4A-4E6B-8A7C-1234567890AB");
    private static final String G = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";

    @Test
    void defaults_whenGuidGiven_buildsThePlanNames() {
        ResourceNames names = ResourceNames.defaults();
        assertEquals("tmux-builder-" + G, names.bucket(GUID));
        assertEquals("tmux-builder-" + G, names.cloudFrontComment(GUID));
        assertEquals("tmux-builder-" + G, names.callerReference(GUID));
        assertEquals("tmux-builder-" + G, names.originAccessControl(GUID));
        assertEquals("tmux-" + G + "-backend", names.ecrBackend(GUID));
        assertEquals("tmux-" + G + "-frontend", names.ecrFrontend(GUID));
        assertEquals("tmux-builder", names.prefix());
        assertEquals("tmux", names.ecrPrefix());
    }

    @Test
    void withPrefixes_whenValid_usesThem() {
        ResourceNames names = ResourceNames.withPrefixes("acme.sites", "acme/apps");
        assertEquals("acme.sites-" + G, names.bucket(GUID));
        assertEquals("acme/apps-" + G + "-backend", names.ecrBackend(GUID));
        assertEquals("acme/apps-" + G + "-frontend", names.ecrFrontend(GUID));
    }

    @Test
    void withPrefixes_whenLongestBucketPrefix_fitsIn63Characters() {
        String prefix = "a".repeat(26);
        ResourceNames names = ResourceNames.withPrefixes(prefix, "tmux");
        assertEquals(63, names.bucket(GUID).length());
    }

    @Test
    void withPrefixes_whenPrefixMakesBucketTooLong_throwsNamingTheLengthRule() {
        InvalidNameException e = assertThrows(InvalidNameException.class,
                () -> ResourceNames.withPrefixes("a".repeat(27), "tmux"));
        assertEquals("S3 bucket", e.resourceType());
        assertTrue(e.rule().contains("3 to 63 characters"), e.rule());
        assertTrue(e.rule().contains("64"), e.rule());
        assertEquals("prefix", e.field());
        assertTrue(e.getMessage().contains("breaks the AWS rule"), e.getMessage());
    }

    @Test
    void withPrefixes_whenUppercase_throwsNamingTheCharacterRule() {
        InvalidNameException e = assertThrows(InvalidNameException.class,
                () -> ResourceNames.withPrefixes("Tmux-Builder", "tmux"));
        assertTrue(e.rule().contains("only lowercase letters, digits, hyphens and dots"), e.rule());
        assertEquals("prefix", e.field());
    }

    @Test
    void withPrefixes_whenUnderscore_throwsNamingTheCharacterRule() {
        InvalidNameException e = assertThrows(InvalidNameException.class,
                () -> ResourceNames.withPrefixes("tmux_builder", "tmux"));
        assertTrue(e.rule().contains("only lowercase letters, digits, hyphens and dots"), e.rule());
    }

    @Test
    void withPrefixes_whenStartsWithXnDashDash_throwsNamingThatRule() {
        InvalidNameException e = assertThrows(InvalidNameException.class,
                () -> ResourceNames.withPrefixes("xn--site", "tmux"));
        assertTrue(e.rule().contains("does not start with 'xn--'"), e.rule());
    }

    @Test
    void withPrefixes_whenStartsWithSthree_throwsNamingThatRule() {
        InvalidNameException e = assertThrows(InvalidNameException.class,
                () -> ResourceNames.withPrefixes("sthree-site", "tmux"));
        assertTrue(e.rule().contains("does not start with 'sthree-'"), e.rule());
    }

    @Test
    void withPrefixes_whenAdjacentDots_throwsNamingThatRule() {
        InvalidNameException e = assertThrows(InvalidNameException.class,
                () -> ResourceNames.withPrefixes("tmux..builder", "tmux"));
        assertTrue(e.rule().contains("no two adjacent dots"), e.rule());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tmux", ".tmux"})
    void withPrefixes_whenLeadingHyphenOrDot_throwsNamingTheStartRule(String prefix) {
        InvalidNameException e = assertThrows(InvalidNameException.class,
                () -> ResourceNames.withPrefixes(prefix, "tmux"));
        assertTrue(e.rule().contains("starts and ends with a letter or digit"), e.rule());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tmux builder", "tmux/builder", "tmüx", "tmux\nbuilder"})
    void withPrefixes_whenOtherBadCharacters_throwsInvalidName(String prefix) {
        assertThrows(InvalidNameException.class, () -> ResourceNames.withPrefixes(prefix, "tmux"));
    }

    @Test
    void withPrefixes_whenEmpty_throwsInvalidInputNamingTheField() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ResourceNames.withPrefixes("", "tmux"));
        assertEquals("prefix", e.field());
        InvalidInputException e2 = assertThrows(InvalidInputException.class,
                () -> ResourceNames.withPrefixes("tmux-builder", null));
        assertEquals("ecrPrefix", e2.field());
    }

    @Test
    void withPrefixes_whenEcrPrefixUppercase_throwsNamingTheEcrRule() {
        InvalidNameException e = assertThrows(InvalidNameException.class,
                () -> ResourceNames.withPrefixes("tmux-builder", "Tmux"));
        assertEquals("ECR repository", e.resourceType());
        assertEquals("ecrPrefix", e.field());
        assertTrue(e.rule().contains("lowercase letters and digits"), e.rule());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tmux--x", "tmux__x", "-tmux", "tmux/", "tmux//x", "tmux.-x"})
    void withPrefixes_whenEcrSeparatorsBreakThePattern_throwsInvalidName(String ecrPrefix) {
        InvalidNameException e = assertThrows(InvalidNameException.class,
                () -> ResourceNames.withPrefixes("tmux-builder", ecrPrefix));
        assertEquals("ECR repository", e.resourceType());
    }

    @Test
    void withPrefixes_whenEcrNameWouldExceed256_throwsNamingTheLengthRule() {
        // ecrPrefix + "-" + 36 + "-frontend" (9): 210 fits (256), 211 does not
        ResourceNames ok = ResourceNames.withPrefixes("tmux-builder", "a".repeat(210));
        assertEquals(256, ok.ecrFrontend(GUID).length());
        InvalidNameException e = assertThrows(InvalidNameException.class,
                () -> ResourceNames.withPrefixes("tmux-builder", "a".repeat(211)));
        assertTrue(e.rule().contains("2 to 256 characters"), e.rule());
        assertTrue(e.rule().contains("257"), e.rule());
    }

    @Test
    void checkEcr_whenTooShortOrBad_throwsNamingTheRule() {
        assertEquals("ab", ResourceNames.checkEcr("ab"));
        assertTrue(assertThrows(InvalidNameException.class, () -> ResourceNames.checkEcr("a")).rule()
                .contains("2 to 256"));
        assertThrows(InvalidNameException.class, () -> ResourceNames.checkEcr("a_"));
    }

    @Test
    void checkCloudFrontComment_whenOver128_throwsNamingTheRule() {
        assertEquals(128, ResourceNames.checkCloudFrontComment("c".repeat(128)).length());
        InvalidNameException e = assertThrows(InvalidNameException.class,
                () -> ResourceNames.checkCloudFrontComment("c".repeat(129)));
        assertEquals("CloudFront comment", e.resourceType());
        assertTrue(e.rule().contains("at most 128 characters"), e.rule());
    }

    @Test
    void checkOriginAccessControl_whenOver64_throwsNamingTheRule() {
        assertEquals(64, ResourceNames.checkOriginAccessControl("o".repeat(64)).length());
        InvalidNameException e = assertThrows(InvalidNameException.class,
                () -> ResourceNames.checkOriginAccessControl("o".repeat(65)));
        assertTrue(e.rule().contains("1 to 64 characters"), e.rule());
    }

    @Test
    void cloudFrontComment_whenLongestAllowedPrefix_staysWithinCommentAndOacLimits() {
        ResourceNames names = ResourceNames.withPrefixes("b".repeat(26), "tmux");
        assertTrue(names.cloudFrontComment(GUID).length() <= 128);
        assertTrue(names.originAccessControl(GUID).length() <= 64);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "192.168.1.1|not formatted as an IP address",
        "10.0.0.255|not formatted as an IP address",
        "xn--abc|does not start with 'xn--'",
        "sthree-abc|does not start with 'sthree-'",
        "amzn-s3-demo-x|does not start with 'amzn-s3-demo-'",
        "abc-s3alias|does not end with '-s3alias'",
        "abc--ol-s3|does not end with '--ol-s3'",
        "abc.mrap|does not end with '.mrap'",
        "abc--x-s3|does not end with '--x-s3'",
        "abc--table-s3|does not end with '--table-s3'",
        "ab|3 to 63 characters",
        "abc-|starts and ends with a letter or digit",
        "a..b|no two adjacent dots"})
    void checkBucket_whenReservedFormsOrBadShape_throwsInvalidNameNamingThatRule(String name, String rule) {
        InvalidNameException e = assertThrows(InvalidNameException.class, () -> ResourceNames.checkBucket(name));
        assertEquals("S3 bucket", e.resourceType());
        assertTrue(e.rule().startsWith(rule), "rule for " + name + ": " + e.rule());
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void checkBucket_whenValid_returnsItUnchanged() {
        assertEquals("my.bucket-1", ResourceNames.checkBucket("my.bucket-1"));
        assertEquals("abc", ResourceNames.checkBucket("abc"));
    }

    @Test
    void tags_whenGuidAndUser_giveGuidUserAndManagedByInOrder() {
        Map<String, String> tags = ResourceNames.defaults().tags(GUID, "user-42@example.com");
        assertEquals(List.of(ResourceNames.TAG_PROJECT_GUID, ResourceNames.TAG_USER_ID, ResourceNames.TAG_MANAGED_BY),
                List.copyOf(tags.keySet()));
        assertEquals(G, tags.get(ResourceNames.TAG_PROJECT_GUID));
        assertEquals("user-42@example.com", tags.get(ResourceNames.TAG_USER_ID));
        assertEquals("oneclick", tags.get(ResourceNames.TAG_MANAGED_BY));
        assertThrows(UnsupportedOperationException.class, () -> tags.put("x", "y"));
    }

    @Test
    void tags_whenUserIdBad_throwsInvalidInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ResourceNames.defaults().tags(GUID, " "));
        assertEquals("userId", e.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"u", "user-1", "google-oauth2:1234", "a/b=c+d@e.f_g",
        "A.B"})
    void checkUserId_whenAllowedCharacters_returnsItUnchanged(String userId) {
        assertEquals(userId, ResourceNames.checkUserId(userId));
    }

    @Test
    void checkUserId_when128Characters_isAccepted() {
        assertEquals(128, ResourceNames.checkUserId("u".repeat(128)).length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "  \t "})
    void checkUserId_whenBlank_throwsSayingItIsMissing(String userId) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ResourceNames.checkUserId(userId));
        assertEquals("userId", e.field());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void checkUserId_whenNull_throwsSayingItIsMissing() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ResourceNames.checkUserId(null));
        assertEquals("userId", e.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"user one", "x'; DROP TABLE users; --", "$(id)", "`id`", "a\nb", "üser", "user#1",
        "a\"b", "a,b", "a;b"})
    void checkUserId_whenBadCharacters_throwsSayingWhatIsAllowed(String userId) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ResourceNames.checkUserId(userId));
        assertEquals("userId", e.field());
        assertTrue(e.getMessage().contains("1-128 characters"), e.getMessage());
        assertTrue(e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f), e.getMessage());
    }

    @Test
    void checkUserId_whenOver128Characters_throwsInvalidInput() {
        assertThrows(InvalidInputException.class, () -> ResourceNames.checkUserId("u".repeat(129)));
    }

    @Test
    void fullStackNames_whenDefaults_followThePlanAndTheirLimits() {
        ResourceNames names = ResourceNames.defaults();
        assertEquals("tmux-" + G, names.ecsCluster(GUID));
        assertEquals("tmux-" + G + "-backend", names.ecsService(GUID));
        assertEquals("/oneclick/tmux-" + G, names.logGroup(GUID));
        assertEquals("tmux-" + G + "-exec", names.executionRole(GUID));
        assertEquals("tmux-" + G, names.rdsInstance(GUID));
        assertEquals("tmux-" + G + "-db", names.securityGroup(GUID, "db"));
        assertEquals("tmux-3f2b8c1e9d4a4e6b8a7c1234", names.loadBalancer(GUID));
        assertEquals(names.loadBalancer(GUID), names.targetGroup(GUID));
        assertTrue(names.loadBalancer(GUID).length() <= 32);
        names.checkFullStack(GUID);
    }

    @Test
    void checkFullStack_whenEcrPrefixSuitsEcrOnly_throwsNamingTheBrokenRule() {
        ResourceNames slashed = ResourceNames.withPrefixes("acme.sites", "acme/apps");
        InvalidNameException ecs = assertThrows(InvalidNameException.class, () -> slashed.checkFullStack(GUID));
        assertTrue(ecs.getMessage().contains("ECS cluster"), ecs.getMessage());

        ResourceNames longPrefix = ResourceNames.withPrefixes("acme", "a".repeat(20));
        InvalidNameException elb = assertThrows(InvalidNameException.class, () -> longPrefix.checkFullStack(GUID));
        assertTrue(elb.getMessage().contains("32"), elb.getMessage());
    }

    @Test
    void checkElb_whenInternalPrefixOrEdgeHyphen_throwsInvalidName() {
        assertThrows(InvalidNameException.class, () -> ResourceNames.checkElb("target group", "internal-abc"));
        assertThrows(InvalidNameException.class, () -> ResourceNames.checkElb("target group", "-abc"));
        assertThrows(InvalidNameException.class, () -> ResourceNames.checkElb("target group", "abc-"));
        assertThrows(InvalidNameException.class, () -> ResourceNames.checkElb("target group", "x".repeat(33)));
        assertEquals("x".repeat(32), ResourceNames.checkElb("target group", "x".repeat(32)));
    }
}
