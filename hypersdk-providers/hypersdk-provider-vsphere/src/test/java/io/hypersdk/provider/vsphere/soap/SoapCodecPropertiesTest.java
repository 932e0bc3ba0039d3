package io.hypersdk.provider.vsphere.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The SOAP/XML layer: request writer and response parser agree, and hostile text stays text. */
class SoapCodecPropertiesTest {

    /** Fragments that break naive string-built XML. */
    static final List<String> HOSTILE =
            List.of(
                    "<",
                    ">",
                    "&",
                    "&amp;",
                    "&lt;",
                    "]]>",
                    "\"",
                    "'",
                    "\r",
                    "\r\n",
                    "\n",
                    "\t",
                    "<!--",
                    "-->",
                    "<![CDATA[",
                    "&#0;",
                    "&xxe;",
                    "</password><userName>root</userName>",
                    "<?xml?>",
                    "<!DOCTYPE x [<!ENTITY e 'boom'>]>",
                    "\uD83D\uDE00",
                    "\u00e9",
                    "\u4e2d",
                    " ",
                    "   ",
                    "%",
                    "\\",
                    "\u2028");

    static Gen<String> xmlSafeText() {
        Gen<String> fragment =
                Generate.oneOf(
                        Generate.pick(HOSTILE),
                        strings().betweenCodePoints(0x20, 0xD7FF).ofLengthBetween(0, 12),
                        strings().betweenCodePoints(0xE000, 0xFFFD).ofLengthBetween(0, 4),
                        strings().betweenCodePoints(0x10000, 0x10FFFF).ofLengthBetween(0, 2));
        return lists().of(fragment).ofSizeBetween(0, 6).map(l -> String.join("", l));
    }

    static Gen<String> names() {
        Gen<String> first =
                Generate.pick(
                        List.of(
                                "a",
                                "b",
                                "_x",
                                "key",
                                "val",
                                "propSet",
                                "obj",
                                "token",
                                "\u00e9t\u00e9"));
        Gen<String> rest =
                strings()
                        .basicLatinAlphabet()
                        .ofLengthBetween(0, 8)
                        .map(s -> s.replaceAll("[^A-Za-z0-9_.-]", ""));
        return first.zip(rest, (a, b) -> a + b);
    }

    static Gen<XmlElement> leaves() {
        Gen<Optional<String>> type =
                Generate.oneOf(
                        Generate.constant(Optional.<String>empty()), names().map(Optional::of));
        Gen<Map<String, String>> attrs =
                Generate.oneOf(
                        Generate.constant(Map.<String, String>of()),
                        strings()
                                .betweenCodePoints(0x20, 0x7E)
                                .ofLengthBetween(0, 10)
                                .map(v -> Map.of("type", v)));
        return names().zip(
                        type,
                        attrs,
                        xmlSafeText(),
                        (n, t, a, txt) -> new XmlElement(n, t, a, txt, List.of()));
    }

    static Gen<XmlElement> trees() {
        Gen<XmlElement> level1 =
                names().zip(
                                lists().of(leaves()).ofSizeBetween(1, 4),
                                (n, kids) ->
                                        new XmlElement(n, Optional.empty(), Map.of(), "", kids));
        Gen<XmlElement> node = Generate.oneOf(leaves(), level1);
        return names().zip(
                        lists().of(node).ofSizeBetween(0, 5),
                        (n, kids) -> new XmlElement(n, Optional.empty(), Map.of(), "", kids));
    }

    @Test
    void generatedElementTreesRoundTripThroughTheWriterAndTheParser() {
        qt().withExamples(400)
                .forAll(trees())
                .checkAssert(
                        tree -> {
                            byte[] xml = SoapCodec.writeEnvelope(tree);
                            XmlElement parsed =
                                    SoapCodec.parseResponse(new ByteArrayInputStream(xml), "test");
                            assertThat(parsed).isEqualTo(tree);
                        });
    }

    @Test
    void hostileTextInARequestStaysTheTextOfItsElement() {
        qt().withExamples(400)
                .forAll(xmlSafeText(), xmlSafeText())
                .checkAssert(
                        (user, password) -> {
                            byte[] xml =
                                    SoapCodec.writeRequest(
                                            "Login",
                                            new ManagedObjectReference(
                                                    "SessionManager", "SessionManager"),
                                            List.of(
                                                    XmlElement.text("userName", user),
                                                    XmlElement.text("password", password)));
                            XmlElement login =
                                    SoapCodec.parseResponse(new ByteArrayInputStream(xml), "Login");
                            assertThat(login.children())
                                    .extracting(XmlElement::name)
                                    .containsExactly("_this", "userName", "password");
                            assertThat(login.childText("userName")).contains(user);
                            assertThat(login.childText("password")).contains(password);
                            String raw = new String(xml, StandardCharsets.UTF_8);
                            assertThat(raw)
                                    .doesNotContain("<userName>root</userName>")
                                    .doesNotContain("<!DOCTYPE")
                                    .doesNotContain("\r");
                        });
    }

    @Test
    void managedObjectReferencesRoundTrip() {
        Gen<String> values = strings().betweenCodePoints(0x21, 0x7E).ofLengthBetween(1, 20);
        qt().forAll(names(), values)
                .checkAssert(
                        (type, value) -> {
                            ManagedObjectReference ref =
                                    new ManagedObjectReference(
                                            type, value.strip().isEmpty() ? "x" : value.strip());
                            byte[] xml = SoapCodec.writeRequest("Destroy_Task", ref, List.of());
                            XmlElement call =
                                    SoapCodec.parseResponse(
                                            new ByteArrayInputStream(xml), "Destroy_Task");
                            assertThat(call.child("_this").orElseThrow().asMoref()).isEqualTo(ref);
                        });
    }

    @Test
    void faultsRoundTripToTypedExceptionsWithNameAndMessage() {
        Gen<String> faultNames =
                Generate.pick(
                        List.of(
                                "InvalidLogin",
                                "NotAuthenticated",
                                "InvalidPowerState",
                                "ManagedObjectNotFound",
                                "InvalidArgument",
                                "FileNotFound",
                                "TaskInProgress"));
        qt().withExamples(300)
                .forAll(faultNames, xmlSafeText())
                .checkAssert(
                        (name, message) -> {
                            XmlElement fault =
                                    XmlElement.builder("Fault")
                                            .add("faultcode", "ServerFaultCode")
                                            .add("faultstring", message)
                                            .add(
                                                    "detail",
                                                    d -> d.addTyped(name + "Fault", name, f -> {}))
                                            .build();
                            byte[] xml = SoapCodec.writeEnvelope(fault);
                            assertThatThrownBy(
                                            () ->
                                                    SoapCodec.parseResponse(
                                                            new ByteArrayInputStream(xml),
                                                            "SomeMethod"))
                                    .isInstanceOfSatisfying(
                                            VimFaultException.class,
                                            e -> {
                                                assertThat(e.faultName()).isEqualTo(name);
                                                assertThat(e.faultMessage())
                                                        .isEqualTo(message.strip());
                                                assertThat(e.method()).isEqualTo("SomeMethod");
                                                assertThat(e.getMessage())
                                                        .startsWith(
                                                                "vSphere SomeMethod failed: "
                                                                        + name);
                                            });
                        });
    }

    @Test
    void charactersXmlCannotCarryAreRefusedNamingTheElement() {
        Gen<Integer> bad =
                Generate.oneOf(
                        integers().between(0, 8),
                        integers().between(0x0B, 0x0C),
                        integers().between(0x0E, 0x1F),
                        integers().between(0xFFFE, 0xFFFF),
                        integers().between(0xD800, 0xDFFF));
        qt().forAll(xmlSafeText(), bad, xmlSafeText())
                .checkAssert(
                        (before, cp, after) -> {
                            String text = before + (char) cp.intValue() + after;
                            assertThatThrownBy(
                                            () ->
                                                    SoapCodec.writeRequest(
                                                            "Login",
                                                            new ManagedObjectReference(
                                                                    "SessionManager", "S"),
                                                            List.of(
                                                                    XmlElement.text(
                                                                            "password", text))))
                                    .isInstanceOf(IllegalArgumentException.class)
                                    .hasMessageContaining("<password>")
                                    .hasMessageContaining("XML cannot carry");
                        });
    }

    @Test
    void theParserThrowsOnlyVsphereExceptionsOnArbitraryInput() {
        Gen<String> junk =
                Generate.oneOf(
                        strings().allPossible().ofLengthBetween(0, 200),
                        lists().of(
                                        Generate.pick(
                                                List.of(
                                                        "<",
                                                        ">",
                                                        "soapenv:Envelope",
                                                        "Body",
                                                        "Fault",
                                                        "/",
                                                        "\"",
                                                        "=",
                                                        "xmlns:soapenv=",
                                                        "'http://schemas.xmlsoap.org/soap/envelope/'",
                                                        " ",
                                                        "&",
                                                        ";",
                                                        "<!DOCTYPE a [<!ENTITY b SYSTEM 'file:///etc/passwd'>]>",
                                                        "&b;",
                                                        "returnval")))
                                .ofSizeBetween(0, 30)
                                .map(l -> String.join("", l)));
        qt().withExamples(500)
                .forAll(junk)
                .checkAssert(
                        s -> {
                            try {
                                SoapCodec.parseResponse(
                                        new ByteArrayInputStream(
                                                s.getBytes(StandardCharsets.UTF_8)),
                                        "Fuzz");
                            } catch (VsphereException expected) {
                                assertThat(expected.getMessage()).contains("Fuzz");
                            }
                        });
    }

    @Test
    void externalEntitiesAreNeverExpanded() {
        String xxe =
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>"
                        + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
                        + "<LoginResponse xmlns=\"urn:vim25\"><returnval><userName>&xxe;</userName></returnval></LoginResponse>"
                        + "</soapenv:Body></soapenv:Envelope>";
        assertThatThrownBy(
                        () ->
                                SoapCodec.parseResponse(
                                        new ByteArrayInputStream(
                                                xxe.getBytes(StandardCharsets.UTF_8)),
                                        "Login"))
                .isInstanceOf(VsphereException.class)
                .hasMessageContaining("Login");
    }

    @Test
    void absurdlyDeepNestingIsRefusedInsteadOfOverflowingTheStack() {
        String deep =
                "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
                        + "<a>".repeat(100_000)
                        + "</a>".repeat(100_000)
                        + "</soapenv:Body></soapenv:Envelope>";
        assertThatThrownBy(
                        () ->
                                SoapCodec.parseResponse(
                                        new ByteArrayInputStream(
                                                deep.getBytes(StandardCharsets.UTF_8)),
                                        "Deep"))
                .isInstanceOf(VsphereException.class)
                .hasMessageContaining("nest deeper than 200");
    }

    @Test
    void xsiTypeIsReadWhateverPrefixTheServerUses() {
        String xml =
                "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
                        + "<R xmlns=\"urn:vim25\"><returnval><val xmlns:XMLSchema-instance=\"http://www.w3.org/2001/XMLSchema-instance\""
                        + " XMLSchema-instance:type=\"xsd:string\">DC0_H0_VM0</val></returnval></R></soapenv:Body></soapenv:Envelope>";
        XmlElement r =
                SoapCodec.parseResponse(
                        new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "R");
        XmlElement val = r.child("returnval").orElseThrow().child("val").orElseThrow();
        assertThat(val.xsiType()).contains("string");
        assertThat(val.text()).isEqualTo("DC0_H0_VM0");
    }
}
