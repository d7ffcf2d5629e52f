/** JUnit Jupiter support: {@link dev.oneclick.local.junit.LocalAwsExtension}. Needs junit-jupiter-api. */
package dev.oneclick.local.junit;
