package io.strata.kit.http;

import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Puts the answers every {@code /api/v1} operation can give besides its success into the OpenAPI
 * document, as {@code application/problem+json} with the {@link Problem} shape, so that a client
 * generated from it knows them (registered with {@code mp.openapi.filter}).
 */
public class ProblemResponses implements OASFilter {
  private static final String REF = "#/components/schemas/Problem";

  private static final Map<String, String> ANSWERS =
      Map.of(
          "400", "malformed or ambiguous request: the detail (and errors) name the field",
          "401", "no credential, or one that is not valid",
          "403", "the credential's role or projects do not allow this",
          "404", "no such resource (or not visible to the caller)",
          "409", "conflicts with the current state (exists, locked, a concurrent writer)",
          "413", "the body is larger than the limit",
          "422", "not valid: errors lists every problem with its field",
          "500", "an unexpected failure, with a reference that is in the log; nothing changed",
          "503", "a dependency (database, broker) is unavailable; retry");

  @Override
  public Operation filterOperation(Operation operation) {
    APIResponses responses = operation.getResponses();
    if (responses == null) {
      return operation;
    }
    ANSWERS.forEach(
        (code, description) -> {
          if (!responses.hasAPIResponse(code)) {
            responses.addAPIResponse(
                code,
                OASFactory.createAPIResponse()
                    .description(description)
                    .content(
                        OASFactory.createContent()
                            .addMediaType(
                                Problem.MEDIA_TYPE,
                                OASFactory.createMediaType()
                                    .schema(OASFactory.createSchema().ref(REF)))));
          }
        });
    return operation;
  }

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    if (openAPI.getComponents() == null) {
      openAPI.setComponents(OASFactory.createComponents());
    }
    Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
    Schema fieldError =
        OASFactory.createSchema()
            .addType(Schema.SchemaType.OBJECT)
            .addProperty("field", string)
            .addProperty("message", string);
    openAPI
        .getComponents()
        .addSchema(
            "Problem",
            OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem document")
                .addProperty("type", string)
                .addProperty("title", string)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", string)
                .addProperty("instance", string)
                .addProperty(
                    "errors",
                    OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError)));
  }
}
