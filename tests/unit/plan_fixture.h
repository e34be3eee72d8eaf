/* plan_fixture.h — a two-level house as manifest.json text (docs/stitch-format.md) for the
 * measurement and deliverable tests: a main floor with an L-shaped room and doors and windows of
 * every kind, and a basement below grade. Walls are 150 mm outside, 100 mm between rooms. */
#ifndef GP_PLAN_FIXTURE_H
#define GP_PLAN_FIXTURE_H

#define RECT(x0, y0, x1, y1) \
    "[[" #x0 "," #y0 "],[" #x1 "," #y0 "],[" #x1 "," #y1 "],[" #x0 "," #y1 "],[" #x0 "," #y0 "]]"

static const char PLAN_FIXTURE[] =
    "{\"format\":\"guidepost-stitch/1\","
    "\"property\":{\"captureDate\":\"2026-05-01T14:30:00Z\",\"capturedWith\":\"test\"},"
    "\"buildings\":[{\"id\":1,\"name\":\"Main Building\",\"levels\":["
    "{\"id\":\"L1\",\"name\":\"Main Floor\",\"belowGrade\":false,\"height\":2600,"
    "\"exterior\":" RECT(0, 0, 10300, 8300) ","
    "\"rooms\":["
    "{\"id\":\"R1\",\"name\":\"Living Room\",\"finished\":true,\"polygon\":" RECT(150, 150, 5150, 5150) "},"
    "{\"id\":\"R2\",\"name\":\"Kitchen\",\"finished\":true,\"polygon\":" RECT(5250, 150, 10150, 4150) "},"
    "{\"id\":\"R3\",\"name\":\"Bedroom\",\"finished\":true,\"polygon\":" RECT(150, 5250, 5150, 8150) "},"
    "{\"id\":\"R4\",\"name\":\"Family Room\",\"finished\":true,\"polygon\":"
    "[[5250,4250],[10150,4250],[10150,8150],[7650,8150],[7650,6250],[5250,6250],[5250,4250]]},"
    "{\"id\":\"R5\",\"name\":\"Storage\",\"finished\":false,\"polygon\":" RECT(5250, 6350, 7550, 8150) "}"
    "],"
    "\"doors\":["
    "{\"id\":\"D1\",\"room\":\"R1\",\"to\":\"R2\",\"at\":[5150,2500],\"width\":900},"
    "{\"id\":\"D2\",\"room\":\"R1\",\"at\":[2500,150],\"width\":1000},"
    "{\"id\":\"D3\",\"room\":\"R1\",\"to\":\"R3\",\"at\":[1200,5150],\"width\":800},"
    "{\"id\":\"D4\",\"room\":\"R4\",\"to\":\"R5\",\"at\":[6400,6250],\"width\":800},"
    "{\"id\":\"D5\",\"room\":\"R2\",\"to\":\"R4\",\"at\":[8000,4150],\"width\":1600}"
    "],"
    "\"windows\":["
    "{\"id\":\"W1\",\"room\":\"R1\",\"at\":[150,2500],\"width\":1500},"
    "{\"id\":\"W2\",\"room\":\"R2\",\"at\":[10150,2000],\"width\":1200},"
    "{\"id\":\"W3\",\"room\":\"R3\",\"at\":[2500,8150],\"width\":1500},"
    "{\"id\":\"W4\",\"room\":\"R4\",\"at\":[10150,6500],\"width\":1200}"
    "],"
    "\"panoramas\":[{\"id\":\"P1\",\"file\":\"panos/P1.jpg\",\"at\":[2500,2500],\"height\":1500}]},"
    "{\"id\":\"B\",\"name\":\"Basement\",\"belowGrade\":true,\"height\":2300,"
    "\"exterior\":" RECT(0, 0, 10300, 8300) ","
    "\"rooms\":["
    "{\"id\":\"B1\",\"name\":\"Rec Room\",\"finished\":true,\"polygon\":" RECT(150, 150, 6150, 8150) "},"
    "{\"id\":\"B2\",\"name\":\"Utility\",\"finished\":false,\"polygon\":" RECT(6250, 150, 10150, 8150) "}"
    "],"
    "\"doors\":[{\"id\":\"BD1\",\"room\":\"B1\",\"to\":\"B2\",\"at\":[6150,4000],\"width\":800}],"
    "\"windows\":[{\"id\":\"BW1\",\"room\":\"B1\",\"at\":[3000,150],\"width\":900}]}"
    "]}]}";

#endif
