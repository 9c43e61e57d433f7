#include <mollifem/base/exceptions.h>
#include <mollifem/base/format.h>
#include <mollifem/inverse/inverse_parameters.h>

#include <cmath>
#include <limits>

namespace mollifem
{
  void
  InverseParameters::declare_parameters(ParameterHandler & prm,
                                        const std::string &plugins,
                                        const std::string &descriptions)
  {
    prm.enter_subsection("Inverse problem");
    {
      prm.declare_entry("Stage 1",
                        "false",
                        Patterns::Bool(),
                        "Estimate the coefficient by the mollified equation "
                        "error: the data are mollified (subsection "
                        "Mollifier; gradient and Laplacian, and d/dt for "
                        "transient data) at the quadrature points of the "
                        "coefficient's FE space, inserted into the strong "
                        "form of the heat equation, which is linear in k, "
                        "and one regularized least-squares problem is "
                        "solved. No forward solve. Writes stage_1.pvd and "
                        "the scores against the ground truth.");
      prm.declare_entry("Gradient regularization",
                        "1e-2",
                        Patterns::Double(0.),
                        "beta: weight of |grad q|^2 in stage 1 "
                        "[data residual^2 length^2 / coefficient^2].");
      prm.declare_entry("L2 regularization",
                        "1e-6",
                        Patterns::Double(0.),
                        "alpha: weight of |q - q_0|^2 in stage 1.");
      prm.declare_entry("Reference value",
                        "1",
                        Patterns::Double(),
                        "q_0 of the L2 regularization [coefficient].");
      prm.declare_entry("Time radius",
                        "0",
                        Patterns::Double(0.),
                        "Radius of the time kernel for d/dt of transient "
                        "data [time]; 0: four times the mean spacing of the "
                        "observation times.");
      Stage2Parameters::declare_parameters(prm, plugins, descriptions);
    }
    prm.leave_subsection();
  }



  void
  InverseParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Inverse problem");
    {
      stage_1                 = prm.get_bool("Stage 1");
      gradient_regularization = prm.get_double("Gradient regularization");
      l2_regularization       = prm.get_double("L2 regularization");
      reference_value         = prm.get_double("Reference value");
      time_radius             = prm.get_double("Time radius");
      stage_2.parse_parameters(prm);
    }
    prm.leave_subsection();
  }


  namespace
  {
    /// A bound: a number, or "none" for +-infinity.
    double
    parse_bound(const std::string &text,
                const std::string &name,
                const double       none)
    {
      if (text == "none")
        return none;
      try
        {
          std::size_t end   = 0;
          const double value = std::stod(text, &end);
          if (end == text.size())
            return value;
        }
      catch (const std::exception &)
        {}
      AssertThrow(false,
                  ExcParameter("Inverse problem/Stage 2/" + name,
                               "expected a number or 'none', got '" + text +
                                 "'."));
      return none;
    }
  } // namespace



  Stage2Parameters::Stage2Parameters()
    : lower_bound(-std::numeric_limits<double>::infinity())
    , upper_bound(std::numeric_limits<double>::infinity())
  {}



  void
  Stage2Parameters::declare_parameters(ParameterHandler & prm,
                                       const std::string &plugins,
                                       const std::string &descriptions)
  {
    prm.enter_subsection("Stage 2");
    {
      prm.declare_entry(
        "Run",
        "false",
        Patterns::Bool(),
        "Run stage 2: minimize the reduced objective "
        "J(m) = 1/(2N) sum ((Bu(m) - d)/sigma)^2 + R(m) over the parameters "
        "m of the coefficient (subsection Coefficient: FE field, optionally "
        "log-transformed), with gradients from adjoint solves and "
        "Gauss-Newton Hessians from incremental solves, by Trilinos ROL. "
        "Writes stage_2.pvd, stage_2_history.csv and the scores.");
      prm.declare_entry("Initial guess",
                        "1",
                        Patterns::Anything(),
                        "The starting coefficient: 'stage 1' (the result of "
                        "stage 1, which must run; with the log transform "
                        "floored at a tenth of its mean), 'ground truth' "
                        "(synthetic data only: the truth of subsection "
                        "Coefficient in the field's representation; a "
                        "diagnostic: where stage 2 goes from the truth "
                        "separates what the data determine from what the "
                        "optimizer finds) or an expression in x[,y[,z]].");
      prm.declare_entry("Initial state",
                        "model",
                        Patterns::Selection("model|data"),
                        "Where the state of every forward solve of stage 2 "
                        "starts. 'model': steady models start Newton's "
                        "method from the previous state (zero at first), "
                        "transient ones integrate from the model's initial "
                        "condition at the start time. 'data': from the "
                        "mollified observations (value at the nodes, "
                        "radius 'Initial state radius'; unobserved "
                        "components zero): steady models start every "
                        "Newton solve there, transient ones integrate from "
                        "the first observed snapshot, from its time on (it "
                        "leaves the misfit). For models that form patterns, "
                        "whose state from an unknown initial condition "
                        "does not reproduce the observed one whatever the "
                        "coefficient (card B3 with A > 4.1).");
      prm.declare_entry("Initial state radius",
                        "0.05",
                        Patterns::Double(0.),
                        "Kernel radius of the mollified observations that "
                        "make the initial state with 'Initial state = data' "
                        "[length]: a few data spacings, small against the "
                        "features of the state (kernel and quadrature of "
                        "subsection Mollifier).");
      prm.declare_entry("Inner product",
                        "Euclidean",
                        Patterns::Selection("Euclidean|lumped mass"),
                        "The inner product of the parameter space that the "
                        "optimizer's steps, trust region, norms and "
                        "gradient tolerance use. 'Euclidean': that of the "
                        "coefficient vectors, which weights a small cell's "
                        "coefficient like a large one's, so steps and "
                        "iteration counts depend on the mesh, most on "
                        "adapted meshes. 'lumped mass': the L2 inner product "
                        "of the fields with the lumped mass matrix W "
                        "(gradients mapped by W^{-1}, the Riesz map), close "
                        "to independent of the mesh.");
      prm.declare_entry("Algorithm",
                        "trust-region Newton-CG",
                        Patterns::Selection(
                          "trust-region Newton-CG|L-BFGS line search"),
                        "'trust-region Newton-CG': ROL's trust-region step, "
                        "subproblems by truncated CG on the Gauss-Newton "
                        "Hessian (an incremental forward and adjoint solve "
                        "per CG iteration). 'L-BFGS line search': "
                        "gradients only.");
      prm.declare_entry("Maximum iterations",
                        "50",
                        Patterns::Integer(0),
                        "Iteration limit of the optimizer. Reaching it is "
                        "reported; the last iterate and the history are "
                        "still written.");
      prm.declare_entry("Gradient tolerance",
                        "1e-6",
                        Patterns::Double(0.),
                        "Stop when the gradient norm has decreased by this "
                        "factor from the initial guess.");
      prm.declare_entry("Step tolerance",
                        "1e-10",
                        Patterns::Double(0.),
                        "Stop when the step is shorter than this (Euclidean "
                        "norm of the parameter vector).");
      prm.declare_entry("Taylor test",
                        "false",
                        Patterns::Bool(),
                        "Before the first optimization, check the gradient of "
                        "the whole objective (the model's adjoint, the "
                        "coefficient's chain rule, the regularization, a "
                        "plugin's included) at the initial guess: the Taylor "
                        "remainders |J(m + e v) - J(m) - e g.v| along a "
                        "pseudo-random direction v (the same on any number "
                        "of ranks) for e = 1e-2 / 2^i, i = 0..4, printed as "
                        "rates, which are 2 for a correct gradient (1 for a "
                        "wrong one); a warning if one is below 1.8. Costs 6 "
                        "forward solves and an adjoint one, not counted in "
                        "the work. The rates go to summary.json (stage 2/Taylor "
                        "rates).");
      prm.declare_entry("Statistical tolerance",
                        "0",
                        Patterns::Double(0.),
                        "Trust-region Newton-CG: also stop (converged) after "
                        "a step inside the trust region that decreased N J "
                        "by less than this, where J is the objective "
                        "(misfit in units of the noise plus regularization) "
                        "and N the number of data: N J is the negative "
                        "log-posterior, so such a step moved the estimate by "
                        "less than sqrt(2 x this) posterior standard "
                        "deviations along its direction, and the next "
                        "Newton step would move it less still. Also stop "
                        "after the second of two Newton steps in a row "
                        "(inside the trust region; the ratio of a step's "
                        "decrease to its starting gradient norm squared "
                        "grew by at most a factor of 2) when the next one "
                        "is predicted to decrease N J by less than this: "
                        "by that ratio times the squared gradient norm (a "
                        "Newton step lowers N J by about g^T H^-1 g / 2). "
                        "The discrepancy principle's trials predict from "
                        "one step. The data "
                        "cannot tell the iterates apart: 0.5 (one standard "
                        "deviation) spares the iterations that only polish "
                        "digits the noise hides, above all on the finer "
                        "levels of grid sequencing. Applies to every "
                        "optimization of stage 2, the discrepancy search's "
                        "included. 0: never (only the gradient and step "
                        "tolerances stop).");
      prm.declare_entry("Maximum CG iterations",
                        "50",
                        Patterns::Integer(1),
                        "Iteration limit of truncated CG per trust-region "
                        "subproblem.");
      prm.declare_entry("CG tolerance",
                        "0.1",
                        Patterns::Double(0., 1.),
                        "Truncated CG of a trust-region step stops when its "
                        "residual has decreased by this factor relative to "
                        "the gradient (inexact Newton).");
      prm.declare_entry(
        "Recycled Hessian pairs",
        "0",
        Patterns::Integer(0, 1000),
        "Trust-region Newton-CG: precondition each step's truncated CG with "
        "the limited-memory BFGS inverse built from up to this many of the "
        "last step's Gauss-Newton products (the latest; Morales and "
        "Nocedal's automatic preconditioning), on top of the "
        "regularization's preconditioner. CG's directions are conjugate, so "
        "that this inverse is exact on the space the last step explored; the "
        "next step needs products only for what changed and what that step "
        "left out. A new regularization weight (the discrepancy principle's "
        "next trial) keeps the pairs, each product corrected by the change "
        "of the regularization's Hessian (no solve). Each pair keeps two "
        "parameter vectors. Every checkpoint drops the pairs (it does not "
        "hold them), so that a run resumed from it takes the uninterrupted "
        "run's steps. "
        "0: the regularization's preconditioner only.");
      prm.declare_entry("L-BFGS memory",
                        "10",
                        Patterns::Integer(1),
                        "Number of stored update pairs of L-BFGS.");
      prm.declare_entry("Regularization",
                        "H1",
                        Patterns::Selection("none|L2|H1|H2|TV" +
                                            (plugins.empty() ? "" : "|" + plugins)),
                        "R(m): 'L2' alpha/2 int (m - m_0)^2, 'H1' alpha/2 "
                        "int |grad m|^2, 'H2' alpha/2 (int |grad m|^2 + l^2 "
                        "int (Laplace m)^2) with the (lumped-mass) discrete "
                        "Laplacian at the nodes inside the domain, so that "
                        "the boundary imposes nothing on m (l = 'Smoothness "
                        "length'; smoother fields than H1), 'TV' alpha int "
                        "sqrt(|grad m|^2 + eps^2), on m (= log q with the log "
                        "transform); m_0 from 'Reference value' of subsection "
                        "Inverse problem." +
                          (plugins.empty() ? std::string() :
                                             " Registered plugins:" + descriptions));
      prm.declare_entry("Regularization weight",
                        "1e-3",
                        Patterns::Double(0.),
                        "alpha of R(m), relative to the misfit, which is "
                        "1/2 when the data are fitted to their noise level.");
      prm.declare_entry("Discrepancy principle",
                        "false",
                        Patterns::Bool(),
                        "Choose the regularization weight by Morozov's "
                        "discrepancy principle: the weight for which the "
                        "misfit of the minimizer is tau^2/2 (the data fitted "
                        "to tau times their noise level), to a quarter of "
                        "the statistical spread tau^2/2 sqrt(2/N) of a "
                        "misfit of N data; found from 'Regularization "
                        "weight' by factors of 10 and then by regula falsi "
                        "in log(alpha); every trial is an optimization, "
                        "warm-started from the nearest one. A misfit that "
                        "stays above the target as the weight falls (the "
                        "model's discretization error exceeds the noise) "
                        "stops the search with a warning, keeping the "
                        "larger weight.");
      prm.declare_entry("Discrepancy factor",
                        "1.02",
                        Patterns::Double(1.),
                        "tau >= 1 of the discrepancy principle. With many "
                        "data the misfit at the truth is close to 1/2 and tau "
                        "must be close to 1; the model's discretization error "
                        "adds to the noise: take tau about the ratio 'RMS "
                        "misfit / noise sigma' that the forward solve with "
                        "the true coefficient prints for synthetic data.");
      prm.declare_entry(
        "Discrepancy model error",
        "false",
        Patterns::Bool(),
        "Add the model's discretization error to the noise in the "
        "discrepancy principle: the target becomes tau^2/2 (1 + eps^2), the "
        "expected misfit of data whose errors are the noise plus the "
        "model's error, where eps^2 is the mean square of the error of the "
        "predictions Bu on this mesh against the data, in units of the "
        "noise. It is estimated at the current iterate, without the truth: "
        "the predictions on the mesh with every cell refined once (one "
        "forward run there: 2^dim times the unknowns), extrapolated by "
        "Richardson's rule for the order p + 1 of a state element of degree "
        "p (for synthetic data made on a mesh R levels finer: the part of "
        "the error those data do not share, 1 - 2^(-(p+1) R) of it). Before "
        "every discrepancy search, again after it at the chosen iterate (a "
        "target that moved by more than a quarter of the misfit's spread "
        "searches again, at most twice), and before a finer level of grid "
        "sequencing checks its weight (which is searched again if its target "
        "moved from the last level's by more than a quarter of the spread). "
        "An error that moves the target by less than twice the misfit's "
        "spread cannot be told from the noise and is neglected (so is a "
        "finer level's after a neglected one, without a solve). On a mesh "
        "whose discretization error "
        "is comparable to the noise the plain target asks for a misfit the "
        "truth itself does not reach, and the search fits the noise. A "
        "transient model's time-stepping error counts for data read from "
        "files (a run with half the time step, extrapolated for the "
        "scheme's order: 1 for implicit Euler, 2 for Crank-Nicolson); "
        "synthetic data are made with the same time step and share it. "
        "Needs an 'FE field' coefficient without mollification and "
        "'Initial state = model'. See also 'Model error correction'.");
      prm.declare_entry(
        "Model error correction",
        "0",
        Patterns::Integer(0, 10),
        "n > 0: correct the model's predictions Bu by the estimate of their "
        "discretization error (as 'Discrepancy model error' estimates it: "
        "the mesh refined once, for data from files also half the time "
        "step, extrapolated), so that the inversion mesh fits the data as "
        "the converged model would: the misfit compares Bu - e with the "
        "data. The error e is estimated at the start of every level of grid "
        "sequencing and every adaptive cycle, before any weight search (a "
        "refined forward run: 2^dim times the unknowns), and again n - 1 "
        "times at the optimum, each followed by one more optimization at "
        "the same weight. A first estimate that changes the truth's "
        "expected misfit by less than twice the misfit's spread is neglected "
        "(the noise's fluctuation hides it), and so is a finer level's or "
        "later cycle's after it, without an estimate. The discrepancy "
        "principle keeps its plain target. "
        "0: no correction. Needs an 'FE field' coefficient without "
        "mollification and 'Initial state = model'; excludes 'Discrepancy "
        "model error' (the corrected predictions' error is only what the "
        "estimate misses). Checkpoints store the correction in use.");
      prm.declare_entry("Neural decay factor",
                        "1",
                        Patterns::Double(0.),
                        "For a 'hybrid' coefficient: its network is "
                        "regularized by weight decay (alpha * factor)/2 "
                        "|theta - theta_0|^2 towards its initial weights, "
                        "beside the FE part's 'Regularization' with weight "
                        "alpha; 0: the network is not regularized.");
      prm.declare_entry("Smoothness length",
                        "0.1",
                        Patterns::Double(0.),
                        "l of the H2 regularization [units of length]: the "
                        "scale below which the Laplacian term dominates the "
                        "gradient term (about the correlation length of the "
                        "field one expects); must be > 0 for H2.");
      prm.declare_entry("TV smoothing",
                        "0.1",
                        Patterns::Double(0.),
                        "eps of the TV regularization [units of grad m]; "
                        "must be > 0 for TV.");
      prm.declare_entry("Lower bound",
                        "none",
                        Patterns::Anything(),
                        "Lower bound of the coefficient q at the nodes of "
                        "its FE field: a number or 'none'. With the log "
                        "transform it must be > 0.");
      prm.declare_entry("Upper bound",
                        "none",
                        Patterns::Anything(),
                        "Upper bound of q: a number or 'none'.");
      prm.declare_entry("Noise sigma",
                        "0",
                        Patterns::Double(0.),
                        "sigma of the misfit [units of the data]: the "
                        "standard deviation of the noise. 0: that of the "
                        "synthetic data; data read from a file need a value.");
      prm.declare_entry("Output interval",
                        "5",
                        Patterns::Integer(1),
                        "Write the coefficient, the truth and their "
                        "difference every this many iterations (and at the "
                        "end) to stage_2.pvd.");
      prm.declare_entry("Adaptive cycles",
                        "0",
                        Patterns::Integer(0, 20),
                        "Adaptive inversion: after the optimization, refine "
                        "the mesh where the Kelly indicator of 'Adaptive "
                        "indicator' is largest, carry the iterate over to the "
                        "new mesh (deal.II's solution transfer, exact for "
                        "fields the coarse mesh represents), and optimize "
                        "again from there, this many times. With the "
                        "discrepancy principle every cycle searches the "
                        "weight again, from the last cycle's; otherwise the "
                        "weight stays. A cycle's gradient tolerance is "
                        "relative to the gradient at its start. Each cycle "
                        "c >= 1 writes stage_2_cycle_c.pvd and "
                        "stage_2_history_cycle_c.csv; stage_2_cycles.csv has "
                        "one line per cycle. The mesh of synthetic data is not "
                        "refined for the cycles: keep it finer than the "
                        "finest cells with Observations/Additional "
                        "refinement or Data mesh level.");
      prm.declare_entry("Grid sequencing levels",
                        "0",
                        Patterns::Integer(0, 10),
                        "Grid sequencing (nested iteration): solve the "
                        "inverse problem first on the mesh with every cell "
                        "coarsened this many times, then refine every cell "
                        "back level by level to the given mesh, each level's "
                        "optimization starting from the last level's iterate "
                        "(deal.II's solution transfer) with its weight (with "
                        "the discrepancy principle: searched again from it "
                        "if the level's misfit leaves twice the target's "
                        "statistical spread, where the truth's own misfit "
                        "lies with 95% probability). The "
                        "coarsest level does what a run without levels does "
                        "on the given mesh: the forward solve with the truth, "
                        "stage 1 and stage 2's discrepancy search; the finer "
                        "levels only correct the discretization error, with "
                        "a gradient tolerance relative to the coarsest "
                        "level's reference gradient (scaled to the level's "
                        "mesh). Most of the work is then done where solves "
                        "are cheap. Every level L >= 1 writes "
                        "stage_2_level_L.pvd and stage_2_history_level_L.csv; "
                        "the forward-solve equivalents count every level's "
                        "linear solves in units of those of the given mesh, "
                        "by their numbers of unknowns. Every cell of the "
                        "given mesh must be refined from the coarse mesh at "
                        "least this many times. With a 'Statistical "
                        "tolerance', a finer level whose correction (the "
                        "decrease of N J, predicted from the last levels' as "
                        "at most a quarter of the last one's) falls below it "
                        "keeps the last level's iterate. Adaptive cycles "
                        "follow on the given mesh. 0: none.");
      prm.declare_entry("Multilevel cycles",
                        "0",
                        Patterns::Integer(0, 1000),
                        "MG/OPT on the finer levels of grid sequencing: "
                        "instead of Newton steps on its own mesh, a finer "
                        "level takes at most this many cycles, each of which "
                        "optimizes a coarse model on a coarser level "
                        "(Multilevel coarse depth; the objective there plus "
                        "a linear term that makes its gradient at the "
                        "restricted iterate the restricted gradient of this "
                        "level, with trust-region Newton-CG and the "
                        "tolerances of this subsection) and takes the "
                        "prolongated correction, with a smoothing step "
                        "(Multilevel smoothing), in a backtracking line "
                        "search on this level's objective. The Hessian-vector "
                        "products are made on the coarser mesh; a cycle "
                        "costs this level one gradient and the line "
                        "search's forward solves. Stops at the gradient "
                        "tolerance, after a cycle that decreased N J by "
                        "less than the 'Statistical tolerance' when the rest "
                        "predicted from the last two cycles' contraction is "
                        "below it too, or before a cycle whose predicted "
                        "decrease (the coarse model's plus a bound of the "
                        "smoothing's from the regularization's curvature) "
                        "and rest are below it. Needs 'Grid sequencing "
                        "levels' > 0, an "
                        "'FE field' coefficient without bounds or "
                        "mollification, the 'Euclidean' inner product and "
                        "'Initial state = model' (doc/inverse.md). 0: "
                        "Newton-CG on every level.");
      prm.declare_entry("Multilevel coarse iterations",
                        "2",
                        Patterns::Integer(1, 1000),
                        "MG/OPT (Multilevel cycles): the limit of "
                        "trust-region Newton-CG steps of each cycle's coarse "
                        "model (each also stops at the statistical and "
                        "gradient tolerances). A cycle only needs the coarse "
                        "model's first steps: its minimizer is no closer to "
                        "the fine one than the coarse mesh resolves. "
                        "bench/heat takes 1, where the coarse models' "
                        "products are most of the cost (doc/inverse.md).");
      prm.declare_entry("Multilevel coarse depth",
                        "1",
                        Patterns::Integer(1, 100),
                        "MG/OPT (Multilevel cycles): the coarse model of a "
                        "level lives this many levels below it (at most on "
                        "the coarsest level), the transfers passing through "
                        "the levels between. Deeper coarse models make "
                        "their Hessian-vector products where they are "
                        "cheaper (a quarter of the cost per level in 2d, an "
                        "eighth in 3d) and represent less of the level's "
                        "field, so that its cycles may contract less.");
      prm.declare_entry("Multilevel smoothing",
                        "true",
                        Patterns::Bool(),
                        "MG/OPT (Multilevel cycles): every cycle's step "
                        "adds to the coarse correction a smoothing step for "
                        "the part of the gradient the coarser mesh cannot "
                        "represent: damped Jacobi (2/3 of the gradient over "
                        "the diagonal of the regularization's "
                        "preconditioner) less its interpolant on the coarse "
                        "field, whose effect on the gradient the coarse "
                        "model takes from the regularization's curvature "
                        "(doc/inverse.md). Without it the cycles stall above "
                        "the fine minimum. Built-in regularizations "
                        "only; a plugin's is not smoothed.");
      prm.declare_entry("Checkpoint interval",
                        "0",
                        Patterns::Integer(0),
                        "Write a checkpoint every this many iterations of "
                        "stage 2's optimization (with the discrepancy "
                        "principle: of the final optimization at the chosen "
                        "weight, and on a finer level of grid sequencing of "
                        "its optimization at the last level's weight), in "
                        "every level of grid sequencing and adaptive cycle: "
                        "Output/Directory/checkpoint.txt, replaced atomically "
                        "(a run killed while writing leaves the last one "
                        "whole). It holds the iterate, the trust region's "
                        "radius, the weight, the history, the adaptive "
                        "refinements and what the finished levels passed on; "
                        "'mollifem FILE.prm --resume' redoes what comes "
                        "before stage 2 (deterministic) and continues from it "
                        "with the steps an uninterrupted run takes "
                        "(trust-region Newton-CG and MG/OPT; L-BFGS starts "
                        "with an empty memory). The run removes it when it "
                        "finishes. 0: no checkpoints.");
      prm.declare_entry("Stop after checkpoints",
                        "0",
                        Patterns::Integer(0),
                        "Stop the run right after writing this many "
                        "checkpoints, to continue later with --resume (for "
                        "batch jobs with a time limit, and for testing "
                        "resume); not part of the parameters a checkpoint "
                        "must match. 0: never.");
      prm.declare_entry("Adaptive fraction",
                        "0.3",
                        Patterns::Double(0., 1.),
                        "The fraction of the cells refined in each adaptive "
                        "cycle (those of largest indicator; none coarsened).");
      prm.declare_entry("Adaptive indicator",
                        "coefficient and state",
                        Patterns::Selection(
                          "coefficient and state|coefficient|state"),
                        "What the refinement of an adaptive cycle follows: "
                        "the Kelly indicator (jumps of the normal derivative "
                        "across faces) of the recovered coefficient, of the "
                        "state computed with it (every experiment; of a "
                        "transient state at five times), or the sum of both, "
                        "each scaled to unit norm.");
    }
    prm.leave_subsection();
  }



  void
  Stage2Parameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Stage 2");
    {
      run                   = prm.get_bool("Run");
      initial_guess         = prm.get("Initial guess");
      initial_state         = prm.get("Initial state");
      initial_state_radius  = prm.get_double("Initial state radius");
      algorithm             = prm.get("Algorithm");
      inner_product         = prm.get("Inner product");
      max_iterations        = prm.get_integer("Maximum iterations");
      gradient_tolerance    = prm.get_double("Gradient tolerance");
      step_tolerance        = prm.get_double("Step tolerance");
      statistical_tolerance = prm.get_double("Statistical tolerance");
      taylor_test           = prm.get_bool("Taylor test");
      max_cg_iterations     = prm.get_integer("Maximum CG iterations");
      lbfgs_memory          = prm.get_integer("L-BFGS memory");
      cg_tolerance          = prm.get_double("CG tolerance");
      recycled_pairs        = prm.get_integer("Recycled Hessian pairs");
      regularization        = prm.get("Regularization");
      regularization_weight = prm.get_double("Regularization weight");
      tv_smoothing          = prm.get_double("TV smoothing");
      smoothness_length     = prm.get_double("Smoothness length");
      neural_decay_factor   = prm.get_double("Neural decay factor");
      discrepancy_principle = prm.get_bool("Discrepancy principle");
      discrepancy_factor    = prm.get_double("Discrepancy factor");
      discrepancy_model_error = prm.get_bool("Discrepancy model error");
      model_error_correction  = prm.get_integer("Model error correction");
      lower_bound           = parse_bound(prm.get("Lower bound"),
                                "Lower bound",
                                -std::numeric_limits<double>::infinity());
      upper_bound           = parse_bound(prm.get("Upper bound"),
                                "Upper bound",
                                std::numeric_limits<double>::infinity());
      noise_sigma           = prm.get_double("Noise sigma");
      output_interval       = prm.get_integer("Output interval");
      adaptive_cycles       = prm.get_integer("Adaptive cycles");
      coarse_levels         = prm.get_integer("Grid sequencing levels");
      multilevel_cycles     = prm.get_integer("Multilevel cycles");
      multilevel_coarse_iterations =
        prm.get_integer("Multilevel coarse iterations");
      multilevel_coarse_depth =
        prm.get_integer("Multilevel coarse depth");
      multilevel_smoothing  = prm.get_bool("Multilevel smoothing");
      adaptive_fraction     = prm.get_double("Adaptive fraction");
      adaptive_indicator    = prm.get("Adaptive indicator");
      checkpoint_interval   = prm.get_integer("Checkpoint interval");
      stop_after_checkpoints = prm.get_integer("Stop after checkpoints");
    }
    prm.leave_subsection();

    AssertThrow(lower_bound < upper_bound,
                ExcParameter("Inverse problem/Stage 2/Lower bound",
                             "the lower bound must lie below the upper bound "
                             "(" + internal::format(lower_bound) +
                               " >= " + internal::format(upper_bound) + ")."));
    AssertThrow(!discrepancy_principle ||
                  (regularization != "none" && regularization_weight > 0.),
                ExcParameter("Inverse problem/Stage 2/Discrepancy principle",
                             "the discrepancy principle chooses the weight of "
                             "a regularization: set 'Regularization' and a "
                             "starting 'Regularization weight' > 0."));
    AssertThrow(!discrepancy_model_error || discrepancy_principle,
                ExcParameter("Inverse problem/Stage 2/Discrepancy model error",
                             "it changes the discrepancy principle's target: "
                             "set 'Discrepancy principle = true' as well."));
    AssertThrow(model_error_correction == 0 || !discrepancy_model_error,
                ExcParameter("Inverse problem/Stage 2/Model error correction",
                             "the corrected predictions' error is only what "
                             "the estimate misses: set 'Discrepancy model "
                             "error = false' (or the correction to 0)."));
    AssertThrow(statistical_tolerance == 0. ||
                  algorithm == "trust-region Newton-CG",
                ExcParameter("Inverse problem/Stage 2/Statistical tolerance",
                             "the statistical stopping test relies on Newton "
                             "steps: set 'Algorithm = trust-region "
                             "Newton-CG' or the tolerance to 0."));
    AssertThrow(stop_after_checkpoints == 0 || checkpoint_interval > 0,
                ExcParameter("Inverse problem/Stage 2/Stop after checkpoints",
                             "stopping after checkpoints needs a 'Checkpoint "
                             "interval' > 0."));
    AssertThrow(multilevel_cycles == 0 || coarse_levels > 0,
                ExcParameter("Inverse problem/Stage 2/Multilevel cycles",
                             "MG/OPT works on the levels of grid sequencing: "
                             "set 'Grid sequencing levels' > 0."));
    AssertThrow(multilevel_cycles == 0 || algorithm == "trust-region Newton-CG",
                ExcParameter("Inverse problem/Stage 2/Multilevel cycles",
                             "MG/OPT optimizes its coarse models with "
                             "'Algorithm = trust-region Newton-CG'."));
    AssertThrow(multilevel_cycles == 0 ||
                  (!std::isfinite(lower_bound) && !std::isfinite(upper_bound)),
                ExcParameter("Inverse problem/Stage 2/Multilevel cycles",
                             "MG/OPT takes no bounds yet: use the log "
                             "transform for positivity."));
    AssertThrow(multilevel_cycles == 0 || inner_product == "Euclidean",
                ExcParameter("Inverse problem/Stage 2/Multilevel cycles",
                             "MG/OPT works in the 'Euclidean' inner product "
                             "(in the lumped-mass one its cycles converged "
                             "too slowly to stop near the minimum, "
                             "doc/inverse.md)."));
    AssertThrow(multilevel_cycles == 0 || initial_state == "model",
                ExcParameter("Inverse problem/Stage 2/Multilevel cycles",
                             "MG/OPT needs 'Initial state = model' (its "
                             "coarse level has no mollified data)."));
    AssertThrow(adaptive_cycles == 0 || adaptive_fraction > 0.,
                ExcParameter("Inverse problem/Stage 2/Adaptive fraction",
                             "adaptive cycles refine a fraction > 0 of the "
                             "cells."));
    AssertThrow(regularization != "H2" || smoothness_length > 0.,
                ExcParameter("Inverse problem/Stage 2/Smoothness length",
                             "H2 regularization needs a length > 0."));
    AssertThrow(regularization != "TV" || tv_smoothing > 0.,
                ExcParameter("Inverse problem/Stage 2/TV smoothing",
                             "TV regularization needs a smoothing > 0."));
  }
} // namespace mollifem
