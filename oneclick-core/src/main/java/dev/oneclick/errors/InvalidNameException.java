package dev.oneclick.errors;

/**
 * A resource name that breaks one of AWS's naming rules for that resource type, usually because of a
 * configured prefix. {@link #rule()} states the rule that was broken.
 */
public class InvalidNameException extends InvalidInputException {
    private static final long serialVersionUID = 1L;
    private final String resourceType;
    private final String name;
    private final String rule;

    public InvalidNameException(String field, String resourceType, String name, String rule) {
        super(field, resourceType + " name '" + name + "' breaks the AWS rule: " + rule);
        this.resourceType = resourceType;
        this.name = name;
        this.rule = rule;
    }

    public String resourceType() {
        return resourceType;
    }

    public String name() {
        return name;
    }

    public String rule() {
        return rule;
    }
}
