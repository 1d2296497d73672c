// Start GOV.UK Frontend components (a module script, so it runs after the page parses).
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();
