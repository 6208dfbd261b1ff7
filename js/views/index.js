/* Every view, by the name an explorer's spec gives ("view"): nnmath.widgets.Explorer.view. */
import * as activation from "./activation.js";
import * as cross_entropy from "./cross_entropy.js";
import * as relu from "./relu.js";
import * as softmax from "./softmax.js";
import * as softmax_cross_entropy from "./softmax_cross_entropy.js";
import * as training from "./training.js";

export const VIEWS = { activation, cross_entropy, relu, softmax, softmax_cross_entropy, training };
