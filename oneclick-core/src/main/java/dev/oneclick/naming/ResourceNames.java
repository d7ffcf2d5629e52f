package dev.oneclick.naming;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.InvalidNameException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The naming convention: every AWS resource of a project is named after its GUID, and every produced name is
 * checked against that resource type's AWS rules before anything is created.
 *
 * <ul>
 *   <li>S3 bucket: {@code tmux-builder-{guid}} ({@code {prefix}-{guid}})</li>
 *   <li>CloudFront distribution comment and Origin Access Control name: {@code tmux-builder-{guid}}</li>
 *   <li>ECR repositories: {@code tmux-{guid}-backend} and {@code tmux-{guid}-frontend}
 *       ({@code {ecrPrefix}-{guid}-backend}, ...)</li>
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ResourceNames {
    public static final String DEFAULT_PREFIX = "tmux-builder";
    public static final String DEFAULT_ECR_PREFIX = "tmux";

    /** Tag keys put on every resource. */
    public static final String TAG_PROJECT_GUID = "oneclick:project-guid";
    public static final String TAG_USER_ID = "oneclick:user-id";
    public static final String TAG_MANAGED_BY = "oneclick:managed-by";
    public static final String MANAGED_BY_VALUE = "oneclick";

    private static final Pattern BUCKET_CHARS = Pattern.compile("[a-z0-9.-]+");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final List<String> BUCKET_BAD_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> BUCKET_BAD_SUFFIXES =
            List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");
    private static final Pattern ECR_NAME =
            Pattern.compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final Pattern ECS_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern LOG_GROUP = Pattern.compile("[A-Za-z0-9_/.#-]+");
    private static final Pattern IAM_ROLE = Pattern.compile("[\\w+=,.@-]+");
    private static final Pattern RDS_ID = Pattern.compile("[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]|[A-Za-z]");
    private static final Pattern SECURITY_GROUP = Pattern.compile("[A-Za-z0-9 ._\\-:/()#,@\\[\\]+=&;{}!$*]+");
    private static final Pattern ELB_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?");
    /** Characters AWS allows in tag values across services. */
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.:/=+@-]{1,128}");

    private final String prefix;
    private final String ecrPrefix;

    private ResourceNames(String prefix, String ecrPrefix) {
        this.prefix = prefix;
        this.ecrPrefix = ecrPrefix;
    }

    /** The default convention ({@code tmux-builder} and {@code tmux}). */
    public static ResourceNames defaults() {
        return new ResourceNames(DEFAULT_PREFIX, DEFAULT_ECR_PREFIX);
    }

    /**
     * A convention with other prefixes. The prefixes themselves are checked here, against a sample GUID, so a
     * prefix that would make any name break a rule fails now, not halfway through a deploy.
     *
     * @throws InvalidNameException naming the rule a produced name would break
     */
    public static ResourceNames withPrefixes(String prefix, String ecrPrefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new InvalidInputException("prefix", "The resource name prefix is empty; give a prefix such as '"
                    + DEFAULT_PREFIX + "'.");
        }
        if (ecrPrefix == null || ecrPrefix.isEmpty()) {
            throw new InvalidInputException("ecrPrefix", "The ECR repository prefix is empty; give a prefix such as '"
                    + DEFAULT_ECR_PREFIX + "'.");
        }
        ResourceNames names = new ResourceNames(prefix, ecrPrefix);
        ProjectGuid sample = ProjectGuid.parse("00000000-0000-4000-8000-000000000000");
        names.bucket(sample);
        names.cloudFrontComment(sample);
        names.originAccessControl(sample);
        names.ecrBackend(sample);
        names.ecrFrontend(sample);
        return names;
    }

    /**
     * Checks every name of the full stack for this GUID, so a prefix that suits ECR (which allows {@code /} and 256
     * characters) but breaks an ECS, IAM, RDS or load balancer rule fails before a full-stack deploy writes anything.
     * Static-site deploys never call it: their prefixes stay as free as ECR's rules.
     *
     * @throws InvalidNameException naming the first rule a full-stack name would break
     */
    public void checkFullStack(ProjectGuid guid) {
        ecrBackend(guid);
        ecsCluster(guid);
        ecsService(guid);
        logGroup(guid);
        executionRole(guid);
        rdsInstance(guid);
        for (String role : List.of("alb", "tasks", "db")) {
            securityGroup(guid, role);
        }
        loadBalancer(guid);
        targetGroup(guid);
    }

    public String prefix() {
        return prefix;
    }

    public String ecrPrefix() {
        return ecrPrefix;
    }

    /** The S3 bucket: {@code {prefix}-{guid}}. */
    public String bucket(ProjectGuid guid) {
        return checkBucket(prefix + "-" + guid.value());
    }

    /** The CloudFront distribution comment, by which a distribution is found again: {@code {prefix}-{guid}}. */
    public String cloudFrontComment(ProjectGuid guid) {
        return checkCloudFrontComment(prefix + "-" + guid.value());
    }

    /** The CloudFront caller reference, derived from the GUID so a retried create cannot make a second one. */
    public String callerReference(ProjectGuid guid) {
        return prefix + "-" + guid.value();
    }

    /** The Origin Access Control name: {@code {prefix}-{guid}} (at most 64 characters). */
    public String originAccessControl(ProjectGuid guid) {
        return checkOriginAccessControl(prefix + "-" + guid.value());
    }

    /** The backend ECR repository: {@code {ecrPrefix}-{guid}-backend}. */
    public String ecrBackend(ProjectGuid guid) {
        return checkEcr(ecrPrefix + "-" + guid.value() + "-backend");
    }

    /** The frontend ECR repository: {@code {ecrPrefix}-{guid}-frontend}. */
    public String ecrFrontend(ProjectGuid guid) {
        return checkEcr(ecrPrefix + "-" + guid.value() + "-frontend");
    }

    /** The full stack's ECS cluster: {@code {ecrPrefix}-{guid}}. */
    public String ecsCluster(ProjectGuid guid) {
        return checkEcs("ECS cluster", ecrPrefix + "-" + guid.value());
    }

    /** The full stack's ECS service and task definition family: {@code {ecrPrefix}-{guid}-backend}. */
    public String ecsService(ProjectGuid guid) {
        return checkEcs("ECS service", ecrPrefix + "-" + guid.value() + "-backend");
    }

    /** The full stack's log group: {@code /oneclick/{ecrPrefix}-{guid}}. */
    public String logGroup(ProjectGuid guid) {
        String name = "/oneclick/" + ecrPrefix + "-" + guid.value();
        if (name.length() > 512 || !LOG_GROUP.matcher(name).matches()) {
            throw new InvalidNameException("ecrPrefix", "CloudWatch Logs log group", name,
                    "1 to 512 letters, digits and _ - / . #");
        }
        return name;
    }

    /** The full stack's task execution role: {@code {ecrPrefix}-{guid}-exec} (IAM: at most 64 characters). */
    public String executionRole(ProjectGuid guid) {
        String name = ecrPrefix + "-" + guid.value() + "-exec";
        if (name.length() > 64 || !IAM_ROLE.matcher(name).matches()) {
            throw new InvalidNameException("ecrPrefix", "IAM role", name,
                    "1 to 64 letters, digits and + = , . @ _ - (this one has " + name.length() + " characters)");
        }
        return name;
    }

    /** The full stack's RDS instance identifier: {@code {ecrPrefix}-{guid}}. */
    public String rdsInstance(ProjectGuid guid) {
        String name = ecrPrefix + "-" + guid.value();
        if (name.length() > 63 || !RDS_ID.matcher(name).matches() || name.contains("--")) {
            throw new InvalidNameException("ecrPrefix", "RDS DB instance", name,
                    "1 to 63 letters, digits and hyphens, starting with a letter, no two hyphens in a row, not "
                            + "ending with a hyphen");
        }
        return name;
    }

    /**
     * A security group of the full stack: {@code {ecrPrefix}-{guid}-{role}} with role {@code alb}, {@code tasks} or
     * {@code db}.
     */
    public String securityGroup(ProjectGuid guid, String role) {
        String name = ecrPrefix + "-" + guid.value() + "-" + role;
        if (name.length() > 255 || name.startsWith("sg-") || !SECURITY_GROUP.matcher(name).matches()) {
            throw new InvalidNameException("ecrPrefix", "EC2 security group", name,
                    "1 to 255 letters, digits and . _ - : / ( ) # , @ [ ] + = & ; { } ! $ *, not starting with sg-");
        }
        return name;
    }

    /**
     * The full stack's load balancer, in the short form load balancer and target group names need (at most 32
     * characters): {@code {ecrPrefix}-} followed by the GUID's first 24 hexadecimal digits (96 bits). The full GUID is in
     * the tags, and ownership is checked by tag, so two GUIDs sharing those 96 bits are refused, never shared.
     */
    public String loadBalancer(ProjectGuid guid) {
        return checkElb("Application Load Balancer", shortName(guid));
    }

    /** The full stack's target group: the same short form as {@link #loadBalancer}. */
    public String targetGroup(ProjectGuid guid) {
        return checkElb("target group", shortName(guid));
    }

    private String shortName(ProjectGuid guid) {
        return ecrPrefix + "-" + guid.value().replace("-", "").substring(0, 24);
    }

    /** Checks an ECS cluster, service or task family name: 1 to 255 letters, digits, hyphens and underscores. */
    static String checkEcs(String type, String name) {
        if (name.isEmpty() || name.length() > 255 || !ECS_NAME.matcher(name).matches()) {
            throw new InvalidNameException("ecrPrefix", type, name,
                    "1 to 255 letters, digits, hyphens and underscores");
        }
        return name;
    }

    /**
     * Checks a load balancer or target group name: at most 32 letters, digits and hyphens, not starting or ending
     * with a hyphen, not starting with {@code internal-}.
     */
    public static String checkElb(String type, String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 32) {
            throw new InvalidNameException("ecrPrefix", type, name,
                    "1 to 32 characters (this one has " + name.length() + ")");
        }
        if (!ELB_NAME.matcher(name).matches() || name.startsWith("internal-")) {
            throw new InvalidNameException("ecrPrefix", type, name,
                    "letters, digits and hyphens, not starting or ending with a hyphen, not starting with internal-");
        }
        return name;
    }

    /**
     * The tags every resource of the project gets: project GUID, user id and managed-by oneclick. Iteration
     * order is fixed.
     */
    public Map<String, String> tags(ProjectGuid guid, String userId) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_PROJECT_GUID, guid.value());
        tags.put(TAG_USER_ID, checkUserId(userId));
        tags.put(TAG_MANAGED_BY, MANAGED_BY_VALUE);
        return Collections.unmodifiableMap(tags);
    }

    /**
     * Checks a user id: 1-128 characters of letters, digits and {@code _ . : / = + @ -}, the characters every
     * AWS service accepts in a tag value and that are safe in a DynamoDB key.
     *
     * @return the user id unchanged
     * @throws InvalidInputException (field {@code userId}) otherwise
     */
    public static String checkUserId(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new InvalidInputException("userId", "The user id is missing; give the id of the user who owns "
                    + "the project (1-128 characters of letters, digits and _ . : / = + @ -).");
        }
        if (!USER_ID.matcher(userId).matches()) {
            throw new InvalidInputException("userId", "The user id '" + ProjectGuid.printable(userId)
                    + "' is not allowed; a user id has 1-128 characters of letters, digits and _ . : / = + @ -.");
        }
        return userId;
    }

    /**
     * Checks a name against S3's bucket naming rules.
     *
     * @return the name unchanged
     * @throws InvalidNameException naming the rule it breaks
     */
    public static String checkBucket(String name) {
        Objects.requireNonNull(name, "name");
        String type = "S3 bucket";
        if (name.length() < 3 || name.length() > 63) {
            throw new InvalidNameException("prefix", type, name,
                    "3 to 63 characters (this one has " + name.length() + ")");
        }
        if (!BUCKET_CHARS.matcher(name).matches()) {
            throw new InvalidNameException("prefix", type, name,
                    "only lowercase letters, digits, hyphens and dots");
        }
        if (!Character.isLetterOrDigit(name.charAt(0)) || !Character.isLetterOrDigit(name.charAt(name.length() - 1))) {
            throw new InvalidNameException("prefix", type, name, "starts and ends with a letter or digit");
        }
        if (name.contains("..")) {
            throw new InvalidNameException("prefix", type, name, "no two adjacent dots");
        }
        if (IPV4.matcher(name).matches()) {
            throw new InvalidNameException("prefix", type, name, "not formatted as an IP address");
        }
        for (String bad : BUCKET_BAD_PREFIXES) {
            if (name.startsWith(bad)) {
                throw new InvalidNameException("prefix", type, name, "does not start with '" + bad + "'");
            }
        }
        for (String bad : BUCKET_BAD_SUFFIXES) {
            if (name.endsWith(bad)) {
                throw new InvalidNameException("prefix", type, name, "does not end with '" + bad + "'");
            }
        }
        return name;
    }

    /** Checks a CloudFront distribution comment: at most 128 characters. */
    static String checkCloudFrontComment(String comment) {
        if (comment.length() > 128) {
            throw new InvalidNameException("prefix", "CloudFront comment", comment,
                    "at most 128 characters (this one has " + comment.length() + ")");
        }
        return comment;
    }

    /** Checks an Origin Access Control name: 1 to 64 characters. */
    static String checkOriginAccessControl(String name) {
        if (name.isEmpty() || name.length() > 64) {
            throw new InvalidNameException("prefix", "CloudFront origin access control", name,
                    "1 to 64 characters (this one has " + name.length() + ")");
        }
        return name;
    }

    /**
     * Checks a name against ECR's repository naming rules (2-256 characters of the pattern
     * {@code (?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*}).
     */
    public static String checkEcr(String name) {
        Objects.requireNonNull(name, "name");
        String type = "ECR repository";
        if (name.length() < 2 || name.length() > 256) {
            throw new InvalidNameException("ecrPrefix", type, name,
                    "2 to 256 characters (this one has " + name.length() + ")");
        }
        if (!ECR_NAME.matcher(name).matches()) {
            throw new InvalidNameException("ecrPrefix", type, name,
                    "lowercase letters and digits, in groups separated by single '.', '_', '-' or '/'");
        }
        return name;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ResourceNames[prefix=%s, ecrPrefix=%s]", prefix, ecrPrefix);
    }
}
