#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe_q.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/base/files.h>
#include <mollifem/base/format.h>
#include <mollifem/base/parameters.h>
#include <mollifem/coefficient/hybrid_coefficient.h>
#include <mollifem/inverse/optimizer.h>
#include <mollifem/inverse/reduced_objective.h>
#include <mollifem/inverse/taylor_test.h>
#include <mollifem/mollifier/convolution_operator.h>
#include <mollifem/study/study.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

namespace mollifem
{
  namespace
  {
    /// Settings that only FE fields take: a coefficient with a network
    /// (@p what: "a 'neural' coefficient ") has no bounds and the
    /// Euclidean inner product.
    void
    check_network_settings(const Stage2Parameters &p, const std::string &what)
    {
      AssertThrow(!std::isfinite(p.lower_bound) && !std::isfinite(p.upper_bound),
                  ExcParameter("Inverse problem/Stage 2/Lower bound",
                               what + "takes no bounds (they act on the nodal "
                                      "values of an FE field); use the log "
                                      "transform for positivity."));
      AssertThrow(p.inner_product == "Euclidean",
                  ExcParameter("Inverse problem/Stage 2/Inner product",
                               what + "has the Euclidean inner product."));
    }



    /// A direction for the Taylor test shaped as @p like: entries in
    /// [-1, 1] that depend on the global index only (the same on any
    /// number of ranks).
    LA::Vector
    taylor_direction(const LA::Vector &like)
    {
      LA::Vector v = like;
      for (const auto i : v.locally_owned_elements())
        {
          const double x = std::sin(12.9898 * (i + 1.)) * 43758.5453;
          v[i]           = 2. * (x - std::floor(x)) - 1.;
        }
      v.compress(VectorOperation::insert);
      return v;
    }



    /// The work of an inversion in units of one forward solve.
    double
    forward_solve_equivalents(const ObjectiveStatistics &stats)
    {
      return static_cast<double>(stats.n_linear_solves) /
             std::max(1u, stats.solves_per_forward);
    }
  } // namespace



  template <int dim>
  void
  Study<dim>::setup_stage_2()
  {
    const Stage2Parameters &p = inverse_parameters.stage_2;
    const bool neural = (coefficient_parameters.representation == "neural");
    const bool hybrid = (coefficient_parameters.representation == "hybrid");
    AssertThrow(coefficient_parameters.representation == "FE field" ||
                  neural || hybrid,
                ExcParameter("Coefficient/Representation",
                             "stage 2 optimizes an 'FE field', a 'neural' or "
                             "a 'hybrid' field, not an '" +
                               coefficient_parameters.representation + "'."));
    AssertThrow(p.initial_state != "data" || !models.front()->is_transient() ||
                  observations.front().times.size() >= 2,
                ExcParameter("Inverse problem/Stage 2/Initial state",
                             "a transient inversion from the data starts at "
                             "the first snapshot and needs at least one more."));
    AssertThrow(p.initial_guess != "stage 1" || inverse_parameters.stage_1,
                ExcParameter("Inverse problem/Stage 2/Initial guess",
                             "'stage 1' needs 'set Stage 1 = true' in "
                             "subsection Inverse problem."));
    AssertThrow(!coefficient_parameters.log_transform || p.lower_bound > 0. ||
                  p.lower_bound == -std::numeric_limits<double>::infinity(),
                ExcParameter("Inverse problem/Stage 2/Lower bound",
                               "with the log transform the coefficient is "
                               "positive; a lower bound must be > 0 (or "
                               "'none')."));
    if (observation_parameters.source == "file")
      {
        AssertThrow(p.noise_sigma > 0.,
                    ExcParameter("Inverse problem/Stage 2/Noise sigma",
                                 "data read from a file need the standard "
                                 "deviation of their noise (> 0)."));
      }
    else
      AssertThrow(p.noise_sigma > 0. || observation_parameters.noise_level > 0.,
                  ExcParameter("Inverse problem/Stage 2/Noise sigma",
                               "the synthetic data have no noise; give the "
                               "misfit a scale sigma > 0 (for example 1e-3 "
                               "times the size of the data)."));

    AssertThrow(p.multilevel_cycles == 0 ||
                  (coefficient_parameters.representation == "FE field" &&
                   coefficient_parameters.mollification_radius == 0.),
                ExcParameter("Inverse problem/Stage 2/Multilevel cycles",
                             "MG/OPT needs an 'FE field' coefficient without "
                             "mollification."));
    for (const auto &[uses, name] :
         {std::make_pair(p.discrepancy_model_error,
                         std::string("Discrepancy model error")),
          std::make_pair(p.model_error_correction > 0,
                         std::string("Model error correction"))})
      AssertThrow(!uses ||
                    (coefficient_parameters.representation == "FE field" &&
                     coefficient_parameters.mollification_radius == 0. &&
                     p.initial_state == "model"),
                  ExcParameter("Inverse problem/Stage 2/" + name,
                               "the estimate carries the field to a refined "
                               "mesh and solves there from the model's "
                               "initial state: it needs an 'FE field' "
                               "coefficient without mollification and "
                               "'Initial state = model'."));
    if (neural)
      {
        setup_neural_field();
        return;
      }
    // An FE field, or a hybrid whose FE part takes the FE field's settings.
    std::unique_ptr<FEFieldCoefficient<dim>> own_fe_field;
    std::unique_ptr<HybridCoefficient<dim>>  hybrid_field;
    FEFieldCoefficient<dim> *                fe_field = nullptr;
    if (hybrid)
      {
        const std::string what = "a 'hybrid' coefficient ";
        check_network_settings(p, what);
        hybrid_field = std::make_unique<HybridCoefficient<dim>>(
          *triangulation,
          coefficient_parameters.fe_degree,
          coefficient_parameters.neural,
          coefficient_parameters.log_transform);
        fe_field = &hybrid_field->fe_part();
        if (!coefficient_parameters.neural.weights_file.empty())
          hybrid_field->read_weights(coefficient_parameters.neural.weights_file);
      }
    else
      {
        own_fe_field = std::make_unique<FEFieldCoefficient<dim>>(
          *triangulation,
          coefficient_parameters.fe_degree,
          coefficient_parameters.log_transform);
        fe_field = own_fe_field.get();
      }
    // q interpolates a function: the FE field, or the hybrid's FE part
    // through the hybrid's transform.
    const auto interpolate = [&](const Function<dim> &function) {
      if (hybrid_field)
        hybrid_field->interpolate_function(function);
      else
        fe_field->interpolate_function(function);
    };
    if (coefficient_parameters.mollification_radius > 0.)
      {
        MollifierParameters field_mollifier = mollifier_parameters;
        field_mollifier.bandwidth = MollifierParameters::Bandwidth::fixed;
        field_mollifier.radius = {coefficient_parameters.mollification_radius};
        field_mollifier.reproduction_degree = -1;
        field_mollifier.derivatives.clear();
        fe_field->mollify(field_mollifier);
      }
    if (p.initial_guess == "ground truth")
      {
        AssertThrow(observation_parameters.source == "synthetic",
                    ExcParameter("Inverse problem/Stage 2/Initial guess",
                                 "'ground truth' needs synthetic data, whose "
                                 "truth is known."));
        interpolate(*truth_function);
      }
    else if (p.initial_guess != "stage 1")
      {
        const Expression<dim> guess(p.initial_guess,
                                    "Inverse problem/Stage 2/Initial guess");
        try
          {
            interpolate(guess);
          }
        catch (const ExceptionBase &e)
          {
            AssertThrow(false,
                        ExcParameter("Inverse problem/Stage 2/Initial guess",
                                     user_message(e)));
          }
      }

    const double q0 = inverse_parameters.reference_value;
    AssertThrow(!coefficient_parameters.log_transform || p.regularization != "L2" ||
                  q0 > 0.,
                ExcParameter("Inverse problem/Reference value",
                             "with the log transform the L2 regularization "
                             "pulls towards log(q_0): q_0 must be > 0."));
    std::unique_ptr<ParameterRegularization> fe_regularization =
      make_fe_regularization(*fe_field, p.regularization_weight);
    if (hybrid_field)
      {
        regularization = std::make_unique<HybridRegularization<dim>>(
          *hybrid_field, std::move(fe_regularization), p.neural_decay_factor);
        parameter_field = std::move(hybrid_field);
      }
    else
      {
        regularization  = std::move(fe_regularization);
        parameter_field = std::move(own_fe_field);
      }
  }



  template <int dim>
  std::unique_ptr<ParameterRegularization>
  Study<dim>::make_fe_regularization(const FEFieldCoefficient<dim> &fe_field,
                                     const double                   weight) const
  {
    const Stage2Parameters &p  = inverse_parameters.stage_2;
    const double            q0 = inverse_parameters.reference_value;
    if (regularization_plugin)
      return regularization_plugin->make(fe_field.dof_handler(),
                                         fe_field.constraints(),
                                         weight);
    return std::make_unique<Regularization<dim>>(
      fe_field.dof_handler(),
      fe_field.constraints(),
      p.regularization,
      weight,
      coefficient_parameters.log_transform ? std::log(std::max(q0, 1e-300)) : q0,
      p.tv_smoothing,
      p.smoothness_length);
  }



  template <int dim>
  void
  Study<dim>::setup_neural_field()
  {
    const Stage2Parameters &p = inverse_parameters.stage_2;
    const std::string       what = "a 'neural' coefficient ";
    AssertThrow(p.regularization == "none" || p.regularization == "L2",
                ExcParameter("Inverse problem/Stage 2/Regularization",
                             what + "is regularized by 'L2' (weight decay "
                                    "towards its initial weights) or 'none', "
                                    "not '" + p.regularization + "'."));
    check_network_settings(p, what);
    AssertThrow(coefficient_parameters.mollification_radius == 0.,
                ExcParameter("Coefficient/Mollification radius",
                             what + "is not mollified (only FE fields are)."));
    // The network starts at a constant: the initial guess must be a number.
    NeuralParameters architecture = coefficient_parameters.neural;
    std::size_t      used         = 0;
    try
      {
        architecture.initial_value = std::stod(p.initial_guess, &used);
      }
    catch (const std::exception &)
      {
        used = 0;
      }
    AssertThrow(used > 0 && used == p.initial_guess.size(),
                ExcParameter("Inverse problem/Stage 2/Initial guess",
                             what + "starts from a constant: give a number, "
                                    "not '" + p.initial_guess + "'."));
    AssertThrow(!coefficient_parameters.log_transform ||
                  architecture.initial_value > 0.,
                ExcParameter("Inverse problem/Stage 2/Initial guess",
                             "with the log transform the initial value must "
                             "be > 0."));
    auto field = std::make_unique<NeuralCoefficient<dim>>(
      *triangulation, architecture, coefficient_parameters.log_transform);
    if (!architecture.weights_file.empty())
      field->read_weights(architecture.weights_file);
    regularization = std::make_unique<WeightDecay>(p.regularization,
                                                   p.regularization_weight,
                                                   field->parameters());
    assessment_fe = std::make_unique<FE_Q<dim>>(coefficient_parameters.fe_degree);
    assessment_dofs = std::make_unique<DoFHandler<dim>>(*triangulation);
    assessment_dofs->distribute_dofs(*assessment_fe);
    parameter_field = std::move(field);
  }



  template <int dim>
  void
  Study<dim>::split_parameters(const LA::Vector &m,
                               LA::Vector &      fe,
                               LA::Vector &      network) const
  {
    const ParametricCoefficient<dim> &field = *parameter_field;
    if (const auto *hybrid = dynamic_cast<const HybridCoefficient<dim> *>(&field))
      hybrid->split(m, fe, network);
    else if (dynamic_cast<const FEFieldCoefficient<dim> *>(&field) != nullptr)
      fe = m;
    else
      network = m;
  }



  template <int dim>
  void
  Study<dim>::set_parameter_parts(const LA::Vector &fe, const LA::Vector &network)
  {
    ParametricCoefficient<dim> &field = *parameter_field;
    if (auto *hybrid = dynamic_cast<HybridCoefficient<dim> *>(&field))
      {
        LA::Vector all = field.make_parameter_vector();
        hybrid->merge(fe, network, all);
        field.set_parameters(all);
      }
    else if (dynamic_cast<FEFieldCoefficient<dim> *>(&field) != nullptr)
      field.set_parameters(fe);
    else
      field.set_parameters(network);
  }



  template <int dim>
  const DoFHandler<dim> &
  Study<dim>::coefficient_dofs() const
  {
    if (const auto *fe_field =
          dynamic_cast<const FEFieldCoefficient<dim> *>(parameter_field.get()))
      return fe_field->dof_handler();
    if (const auto *hybrid =
          dynamic_cast<const HybridCoefficient<dim> *>(parameter_field.get()))
      return hybrid->fe_part().dof_handler();
    return *assessment_dofs;
  }



  template <int dim>
  void
  Study<dim>::run_stage_2(const Checkpoint *from)
  {
    const Stage2Parameters &    p     = inverse_parameters.stage_2;
    ParametricCoefficient<dim> &field = *parameter_field;
    // An FE field, or null for a neural field (setup_stage_2() has ruled out
    // what only FE fields do).
    auto *const fe_field = dynamic_cast<FEFieldCoefficient<dim> *>(&field);
    auto *const hybrid   = dynamic_cast<HybridCoefficient<dim> *>(&field);
    const bool  log_transform = coefficient_parameters.log_transform;
    const DoFHandler<dim> &output_dofs = coefficient_dofs();

    // Cycles after the first start from the iterate carried over by
    // adapt_inversion_mesh().
    // So do the finer levels of grid sequencing.
    const bool finer_level =
      stage_2_cycle == 0 && sequencing_level < p.coarse_levels;
    if (p.initial_guess == "stage 1" && stage_2_cycle == 0 && !finer_level &&
        from == nullptr)
      {
        // Same mesh and element as stage 1: the same numbering.
        AssertDimension(stage_1_result.size(), output_dofs.n_dofs());
        LA::Vector m(output_dofs.locally_owned_dofs(), communicator);
        if (!log_transform)
          m = stage_1_result;
        else
          {
            const double mean = stage_1_result.mean_value();
            const double floor = 0.1 * std::abs(mean);
            for (const auto i : m.locally_owned_elements())
              m[i] = std::log(std::max<double>(stage_1_result[i], floor));
            m.compress(VectorOperation::insert);
          }
        if (hybrid)
          hybrid->set_fe_parameters(m);
        else
          field.set_parameters(m);
      }

    // With the initial state from the data, a transient inversion starts at
    // the first observation, which then leaves the misfit.
    const bool from_data = (p.initial_state == "data");
    const bool skip_first = from_data && models.front()->is_transient();
    TimeParameters window = time_parameters;
    std::vector<std::vector<double>>              times(n_experiments());
    std::vector<std::vector<std::vector<double>>> values(n_experiments());
    std::vector<LA::Vector>                       initial_states;
    for (unsigned int e = 0; e < n_experiments(); ++e)
      {
        times[e]  = observations[e].times;
        values[e] = observations[e].values;
        if (from_data)
          initial_states.push_back(state_from_data(e, 0));
        if (skip_first)
          {
            window.start_time = times[e].front();
            times[e].erase(times[e].begin());
            values[e].erase(values[e].begin());
          }
      }
    if (from_data)
      pcout << "Stage 2: every forward solve starts from the mollified data"
            << (skip_first ? " at t = " + internal::format(window.start_time) +
                               " (the first snapshot; the others are fitted)" :
                             " (Newton's initial guess)")
            << std::endl;

    std::vector<ExperimentData<dim>> experiments;
    for (unsigned int e = 0; e < n_experiments(); ++e)
      experiments.push_back({*models[e],
                             *solvers[e],
                             *observation_operator,
                             times[e],
                             values[e],
                             p.noise_sigma > 0. ? p.noise_sigma :
                                                  noise_sigmas[e],
                             from_data ? &initial_states[e] : nullptr});
    pcout << "Stage 2: " << p.algorithm << " for "
          << models.front()->coefficient_name() << " (" << field.description()
          << "), regularization " << p.regularization;
    if (p.regularization != "none")
      pcout << " with weight " << internal::format(regularization->weight());
    pcout << ", noise sigma ";
    for (unsigned int e = 0; e < experiments.size(); ++e)
      pcout << (e > 0 ? ", " : "") << internal::format(experiments[e].sigma);
    if (n_experiments() > 1)
      pcout << " (" << n_experiments() << " experiments)";
    pcout << std::endl;

    ReducedObjective<dim> objective(experiments,
                                    field,
                                    window,
                                    regularization.get());
    Optimizer<dim> optimizer(p, objective);
    if (p.inner_product == "lumped mass")
      optimizer.set_inner_product_weights(
        lumped_mass(fe_field->dof_handler(), fe_field->constraints()));
    if (std::isfinite(p.lower_bound) || std::isfinite(p.upper_bound))
      {
        // ROL's own infinity: true infinities would give NaN in its
        // arithmetic.
        const double big = 0.1 * std::numeric_limits<double>::max();
        const auto   bound = [&](const double q, const double none) {
          if (!std::isfinite(q))
            return none;
          return log_transform ? std::log(q) : q;
        };
        LA::Vector lower = field.make_parameter_vector();
        LA::Vector upper = field.make_parameter_vector();
        lower            = bound(p.lower_bound, -big);
        upper            = bound(p.upper_bound, big);
        optimizer.set_bounds(lower, upper);
      }

    const std::string cycle_suffix =
      sequencing_level > 0 ?
        "_level_" + std::to_string(sequencing_level) :
        (stage_2_cycle == 0 ? "" : "_cycle_" + std::to_string(stage_2_cycle));
    std::unique_ptr<FieldWriter<dim>> writer;
    if (output_parameters.write_vtu)
      writer = std::make_unique<FieldWriter<dim>>(output_parameters.directory,
                                                  "stage_2" + cycle_suffix,
                                                  communicator);
    if (writer && from != nullptr)
      writer->continue_after(from->records);
    const std::string history_file =
      join_path(output_parameters.directory,
                "stage_2_history" + cycle_suffix + ".csv");
    std::ostringstream history;
    if (from != nullptr)
      history << from->history;
    else
      history << "iteration,objective,misfit,regularization,gradient_norm,"
                 "step_norm,correlation,relative_L2_error\n";

    IndexSet relevant;
    DoFTools::extract_locally_relevant_dofs(output_dofs, relevant);
    LA::Vector q_owned(output_dofs.locally_owned_dofs(), communicator);
    LA::Vector q(output_dofs.locally_owned_dofs(), relevant, communicator);
    RecoveryScores scores;
    int            last_written = -1;
    const auto     assess = [&](const unsigned int iteration, const bool write) {
      field.interpolate(output_dofs, q_owned);
      q      = q_owned;
      scores = assess_coefficient(output_dofs,
                                  q,
                                  "stage_2",
                                  write ? writer.get() : nullptr,
                                  iteration);
      if (write && writer)
        last_written = iteration;
    };

    // The work in forward runs on the given mesh: this mesh's solves
    // weighted by its unknowns, after those of the coarser levels of grid
    // sequencing (an adaptive cycle's in its own).
    const double level_unit =
      stage_2_cycle == 0 && given_mesh_unknowns > 0 ?
        static_cast<double>(solvers.front()->dof_handler().n_dofs()) /
          given_mesh_unknowns :
        1.;
    const double work_before = stage_2_cycle == 0 ? sequencing.work : 0.;
    // MG/OPT's coarse problem (Multilevel cycles), made on a finer level.
    std::unique_ptr<CoarseLevel> coarse_level;
    // The refined solves of the model error's estimates, in forward runs
    // of this mesh.
    double     model_error_work = 0.;
    const auto work             = [&]() {
      double coarse_work = 0.;
      if (coarse_level)
        coarse_work =
          static_cast<double>(
            coarse_level->solvers.front()->dof_handler().n_dofs()) /
          given_mesh_unknowns *
          forward_solve_equivalents(coarse_level->objective->statistics());
      return work_before + coarse_work +
             level_unit * (model_error_work +
                           forward_solve_equivalents(objective.statistics()));
    };
    // Stage 2/Discrepancy model error: the estimate at an iterate (the last
    // one kept, since a search starts where a check estimated). An error
    // that moves the target by less than twice the misfit's spread, the
    // truth's own 95% band, cannot be told from the noise and is neglected
    // (eps^2 = 0); so is that of a finer level of grid sequencing whose
    // last level's was (the error falls as the mesh is refined), without a
    // refined solve.
    const auto significant_error = [&](const double share) {
      const auto [target, spread] = discrepancy_target(share);
      return target - discrepancy_target().first >= 2. * spread;
    };
    LA::Vector                                model_error_point;
    double                                    model_error_share = 0.;
    std::function<double(const LA::Vector &)> model_error;
    if (p.discrepancy_model_error)
      model_error = [&](const LA::Vector &x) {
        if (model_error_point.size() == x.size() &&
            LA::equal(x, model_error_point))
          return model_error_share;
        model_error_point = x;
        const double plain = discrepancy_target().first;
        if (finer_level && sequencing.last_target > 0. &&
            sequencing.last_target == plain)
          {
            pcout << "    model error: neglected on the last level, so "
                     "here too"
                  << std::endl;
            return model_error_share = 0.;
          }
        double       refined_work = 0.;
        const double share =
          estimate_model_error(experiments, window, objective, x, refined_work);
        model_error_work += refined_work;
        const bool significant = significant_error(share);
        if (!significant)
          pcout << "    it moves the target by less than twice the misfit's "
                   "spread: neglected"
                << std::endl;
        return model_error_share = significant ? share : 0.;
      };

    // Stage 2/Model error correction: the predictions corrected by their
    // error estimated at an iterate; the misfit then compares Bu - e with
    // the data. The first estimate of a level or cycle is neglected as the
    // target's is (in the flat part of the misfit curve even so small a
    // shift of the data would move the weight); so, without an estimate,
    // is that of a finer level or cycle after a neglected one.
    const auto correct_predictions = [&](const LA::Vector &x) {
      const bool first = correction_estimates == 0;
      if (first && (finer_level || stage_2_cycle > 0) &&
          sequencing.correction_neglected)
        {
          pcout << "    model error: neglected on the last mesh, so here too"
                << std::endl;
          ++correction_estimates;
          summary.set("stage 2/model error corrected", 0.);
          return;
        }
      std::vector<std::vector<std::vector<double>>> errors;
      double                                        refined_work = 0.;
      const double                                  share =
        estimate_model_error(experiments, window, objective, x, refined_work,
                             &errors);
      model_error_work += refined_work;
      ++correction_estimates;
      if (first)
        sequencing.correction_neglected = !significant_error(share);
      if (first && sequencing.correction_neglected)
        {
          pcout << "    it changes the truth's expected misfit by less than "
                   "twice the misfit's spread: neglected"
                << std::endl;
          summary.set("stage 2/model error corrected", 0.);
          return;
        }
      objective.set_prediction_correction(errors);
      prediction_correction = std::move(errors);
      pcout << "    the predictions are corrected by it: misfit "
            << internal::format(objective.misfit()) << " at this iterate"
            << std::endl;
      summary.set("stage 2/model error corrected", std::sqrt(share));
    };

    // The iterations of the correction's earlier passes (Model error
    // correction), which the numbering of this one's continues.
    earlier_pass_iterations =
      from != nullptr ? from->earlier_pass_iterations : 0;
    unsigned int last_iteration =
      from != nullptr ? earlier_pass_iterations + from->iteration : 0;
    // A finer level of grid sequencing: the objective at its start, and
    // whether the statistical tolerance leaves it out.
    double level_start_value = 0.;
    bool   skip_level        = false;
    // ... or whether its optimization at the final weight has converged
    // before the final one.
    std::optional<OptimizerResult> converged_before;
    // The gradient norm the final optimization's stopping test is relative
    // to (0: the gradient at its start).
    double reference_gradient = 0.;
    // A checkpoint every Checkpoint interval iterations of an optimization
    // (at a finer level of grid sequencing also of its first one, at the
    // last level's weight, before the discrepancy principle checks it).
    const auto checkpoint_if_due = [&](const IterationReport &report,
                                       const bool before_weight_check) {
      if (p.checkpoint_interval == 0 || report.iteration == 0 ||
          report.iteration % p.checkpoint_interval != 0)
        return;
      std::vector<const LA::Vector *> states;
      if (!models.front()->is_transient())
        for (unsigned int e = 0; e < n_experiments(); ++e)
          states.push_back(&objective.final_state(e));
      write_checkpoint(report,
                       reference_gradient > 0. ? reference_gradient :
                                                 optimizer.initial_gradient_norm(),
                       states,
                       history.str(),
                       writer ? writer->written() :
                                std::vector<std::pair<double, std::string>>(),
                       {level_start_value, before_weight_check},
                       coarse_level.get());
      // A checkpoint holds no recycled Hessian pairs: the next step starts
      // without them, as a run resumed from it does.
      objective.forget_recycled_pairs();
      if (coarse_level)
        coarse_level->objective->forget_recycled_pairs();
      if (n_checkpoints == p.stop_after_checkpoints)
        throw Stopped();
    };
    const auto monitor = [&](const IterationReport &report) {
      field.set_parameters(report.parameters);
      // A later pass of the correction starts at the last one's iterate:
      // its first row repeats that iterate with the corrected predictions,
      // and its field is not written again.
      const unsigned int iteration = earlier_pass_iterations + report.iteration;
      const bool repeated = report.iteration == 0 && correction_estimates > 1;
      assess(iteration, !repeated && iteration % p.output_interval == 0);
      last_iteration = iteration;
      char line[200];
      std::snprintf(line,
                    sizeof(line),
                    "  %4u  %-10.4e  %-10.4e  %-10.4e  %-10.4e  %-10.4e  %.4f"
                    "       %.0f",
                    iteration,
                    report.value,
                    report.misfit,
                    report.regularization,
                    report.gradient_norm,
                    report.step_norm,
                    scores.correlation,
                    work());
      pcout << line << std::endl;
      history << iteration << ',' << report.value << ','
              << report.misfit << ',' << report.regularization << ','
              << report.gradient_norm << ',' << report.step_norm << ','
              << scores.correlation << ',' << scores.relative_error << '\n';
      if (Utilities::MPI::this_mpi_process(communicator) == 0)
        write_file_atomically(history_file, [&](std::ostream &out) {
          out << history.str();
        });
      checkpoint_if_due(report, false);
    };

    // A finer level's optimization: MG/OPT with the level below, or
    // Newton-CG on this mesh; from a checkpoint, the interrupted
    // optimization continues.
    const auto optimize_level =
      [&](LA::Vector &                                        x,
          const std::function<void(const IterationReport &)> &report,
          const OptimizerContinuation *continuation = nullptr) {
        if (!finer_level || p.multilevel_cycles == 0)
          return continuation != nullptr ?
                   optimizer.resume(x, report, *continuation) :
                   optimizer.solve(x, report, reference_gradient);
        // The level below, made once the level is optimized at all.
        if (!coarse_level)
          {
            coarse_level =
              make_coarse_level(experiments, window, objective, optimizer);
            pcout << "    MG/OPT with " << coarse_level->name << " ("
                  << coarse_level->solvers.front()->dof_handler().n_dofs()
                  << " state unknowns" << (n_experiments() > 1 ? " each" : "")
                  << ", " << coarse_level->field->parameters().size()
                  << " parameters): at most " << p.multilevel_cycles
                  << (p.multilevel_cycles == 1 ? " cycle" : " cycles")
                  << std::endl;
            // Resumed: its solves start where the interrupted run's would.
            if (continuation != nullptr && !from->coarse_states.empty())
              coarse_level->objective->set_start_states(
                checkpoint_states(from->coarse_states, coarse_level->solvers));
          }
        // At this level's weight, which a discrepancy search may have
        // changed since the level below was made.
        coarse_level->regularization->set_weight(regularization->weight());
        coarse_level->objective->invalidate();
        return coarse_level->multilevel->solve(x,
                                               report,
                                               reference_gradient,
                                               continuation);
      };
    OptimizerContinuation continuation;
    if (from != nullptr)
      continuation = {from->iteration,
                      from->radius,
                      from->reference_gradient,
                      from->last_decrease,
                      from->stopped_by_decrease,
                      from->newton_ratio};
    const auto optimization_start = std::chrono::steady_clock::now();
    LA::Vector m                  = field.parameters();
    if (p.taylor_test && stage_2_cycle == 0 && !finer_level && from == nullptr)
      {
        // On an objective of its own, so that the optimization below starts
        // from the same states as without the test (and its solves are
        // not counted in the work).
        ReducedObjective<dim>     check(experiments,
                                    field,
                                    window,
                                    regularization.get());
        const std::vector<double> rates = taylor_rates(
          taylor_remainders(check, m, taylor_direction(m), 1e-2, 1));
        field.set_parameters(m);
        std::ostringstream text;
        for (const double r : rates)
          text << (text.tellp() > 0 ? " " : "") << std::fixed
               << std::setprecision(1) << r;
        const double smallest = *std::min_element(rates.begin(), rates.end());
        pcout << "  Taylor test at the initial guess: gradient remainder rates "
              << text.str() << " (2 for a correct gradient)" << std::endl;
        if (!(smallest >= 1.8))
          pcout << "  warning: a Taylor rate below 1.8: the gradient of the "
                   "objective does not match its values (a model's residual, "
                   "a coefficient's or a regularization's derivative is "
                   "wrong), or the initial guess sits where the objective "
                   "is not smooth."
                << std::endl;
        summary.set("stage 2/Taylor rates", text.str());
        summary.set("stage 2/Taylor smallest rate", smallest);
      }
    // A later adaptive cycle starts from the last mesh's optimum: its
    // gradient there is what the new mesh adds (the model error removed,
    // the finer field), and the stopping test is relative to it.
    if (stage_2_cycle > 0 && from == nullptr)
      pcout << "  adaptive cycle " << stage_2_cycle
            << ": from the iterate of the last mesh"
            << (p.discrepancy_principle ? ", the weight searched from" :
                                          ", weight")
            << " " << internal::format(regularization->weight()) << std::endl;
    if (from != nullptr)
      {
        if (!from->states.empty())
          objective.adopt_states(checkpoint_states(from->states, solvers));
        discrepancy_iterations = from->discrepancy_iterations;
        reference_gradient     = from->reference_gradient;
        level_start_value      = from->level_start_value;
        pcout << "  continued at iteration " << from->iteration
              << " with weight " << internal::format(regularization->weight())
              << std::endl;
      }
    // Model error correction: estimated at the start of the level or
    // cycle, or as it was when the checkpoint was written.
    correction_estimates = 0;
    prediction_correction.clear();
    if (p.model_error_correction > 0 && from != nullptr)
      {
        correction_estimates  = from->correction_estimates;
        prediction_correction = from->prediction_correction;
        objective.set_prediction_correction(prediction_correction);
        pcout << "    the predictions corrected as at the checkpoint ("
              << correction_estimates
              << (correction_estimates == 1 ? " estimate)" : " estimates)")
              << std::endl;
      }
    else if (p.model_error_correction > 0)
      correct_predictions(m);
    // The last level's trust region, in this mesh's norm (the Euclidean
    // norm of a field's nodal values grows with the square root of their
    // number), so that the first step can be a Newton step (also that of a
    // discrepancy search after a checkpoint).
    const double level_radius =
      sequencing.radius *
      (p.inner_product == "lumped mass" || sequencing.radius_unknowns == 0 ?
         1. :
         std::sqrt(static_cast<double>(field.parameters().size()) /
                   sequencing.radius_unknowns));
    if (finer_level)
      optimizer.set_initial_radius(level_radius);
    if (finer_level && from == nullptr)
      {
        // The coarsest level's reference, in this mesh's norm.
        reference_gradient = sequencing.reference_gradient *
                             gradient_norm_scale() / sequencing.reference_scale;
        discrepancy_iterations = 0;
        pcout << "  grid sequencing level " << sequencing_level
              << ": from the last level's iterate, weight "
              << internal::format(regularization->weight())
              << ", trust-region radius " << internal::format(level_radius)
              << std::endl;
        level_start_value = objective.value(m);
        // With a statistical tolerance, a level whose correction the data
        // could not tell is not optimized: the correction (the decrease of
        // N J, the negative log-posterior) shrinks with the discretization
        // error from level to level, at least by 4 (first order), or only
        // by what the last two levels showed if they shrank less.
        if (p.statistical_tolerance > 0. && sequencing.last_decrease > 0.)
          {
            const double shrink    = std::max(0.25, sequencing.decrease_ratio);
            const double predicted = shrink * sequencing.last_decrease;
            skip_level             = predicted < p.statistical_tolerance;
            pcout << "    predicted decrease of N J "
                  << internal::format(predicted) << " ("
                  << internal::format(shrink) << " x the last level's): "
                  << (skip_level ? "below the statistical tolerance, the "
                                   "last level's iterate stays" :
                                   "above the statistical tolerance")
                  << std::endl;
          }
      }
    if (finer_level && p.discrepancy_principle &&
        (from == nullptr || from->before_weight_check))
      {
        // The weight stays if this mesh's minimizer is consistent with
        // the target as far as the statistics can tell: its misfit
        // within twice the spread (the misfit's standard deviation) of
        // the target, where the truth's own misfit lies with 95%
        // probability. A coarser mesh whose discretization error
        // exceeded the noise chose a weight too small, and it is
        // searched again here.
        OptimizerResult first;
        if (!skip_level)
          {
            first = optimize_level(
              m,
              [&](const IterationReport &report) {
                checkpoint_if_due(report, true);
              },
              from != nullptr ? &continuation : nullptr);
            discrepancy_iterations = first.iterations;
          }
        const double share = model_error ? model_error(m) : 0.;
        const auto [target, spread] = discrepancy_target(share);
        summary.set("stage 2/discrepancy target", target);
        if (model_error)
          summary.set("stage 2/model error", std::sqrt(share));
        const double misfit = objective.misfit();
        // With the model's error, a target that moved from the last
        // level's by more than the search's resolution: the last level's
        // weight balanced its own error, not this mesh's.
        const bool moved = model_error && sequencing.last_target > 0. &&
                           std::abs(target - sequencing.last_target) >
                             0.25 * spread;
        const bool kept =
          !moved && std::abs(misfit - target) <= 2. * spread;
        if (kept)
          discrepancy_last_target = target;
        // Then the final optimization would take no step: only report.
        if (kept && first.converged)
          converged_before = first;
        pcout << "    misfit " << internal::format(misfit) << " after "
              << discrepancy_iterations << " iterations (N J decreased by "
              << internal::format((level_start_value - objective.value(m)) *
                                  objective.n_data_total())
              << "): "
              << (std::abs(misfit - target) <= 2. * spread ? "within" :
                                                              "outside")
              << " twice the spread " << internal::format(spread)
              << " of the target " << internal::format(target)
              << (moved ? ", which moved from the last level's " +
                            internal::format(sequencing.last_target) +
                            " with the model's error by more than a quarter "
                            "of the spread" :
                          std::string())
              << (kept ? ", the weight stays" : ", the weight is searched again")
              << std::endl;
        if (!kept)
          {
            skip_level = false;
            const unsigned int first = discrepancy_iterations;
            const double       alpha =
              choose_weight_by_discrepancy(objective, optimizer, m, model_error);
            discrepancy_iterations += first;
            pcout << "  the final optimization with weight "
                  << internal::format(alpha) << ":" << std::endl;
          }
      }
    else if (!finer_level && from == nullptr && p.discrepancy_principle)
      {
        const double alpha =
          choose_weight_by_discrepancy(objective, optimizer, m, model_error);
        reference_gradient = discrepancy_reference_gradient;
        pcout << "  the final optimization with weight "
              << internal::format(alpha) << ":" << std::endl;
      }
    pcout << "  iter  objective   misfit      regulariz.  |gradient|  |step|"
             "      correlation  work" << std::endl;
    OptimizerResult result =
      from != nullptr && !from->before_weight_check ?
        optimize_level(m, monitor, &continuation) :
        (skip_level || converged_before ? optimizer.evaluate(m, monitor) :
                                          optimize_level(m, monitor));
    // (The iterations of all passes count.)
    while (!prediction_correction.empty() &&
           correction_estimates < p.model_error_correction && !skip_level &&
           !converged_before)
      {
        earlier_pass_iterations += result.iterations;
        correct_predictions(m);
        pcout << "  optimized again with the corrected predictions:"
              << std::endl;
        result = optimize_level(m, monitor);
      }
    result.iterations += earlier_pass_iterations;
    if (skip_level)
      result.reason = "kept the last level's iterate (statistical tolerance)";
    else if (converged_before)
      result.reason = converged_before->reason;
    // The correction a finer level made (the decrease of N J), which
    // predicts the next one's.
    const double level_decrease =
      finer_level ?
        (level_start_value - objective.value(m)) * objective.n_data_total() :
        0.;
    // The next level's initial trust-region radius.
    if (sequencing_level > 0 && optimizer.last_radius() > 0.)
      {
        sequencing.radius          = optimizer.last_radius();
        sequencing.radius_unknowns = field.parameters().size();
      }
    if (coarse_level)
      {
        const ObjectiveStatistics &coarse = coarse_level->objective->statistics();
        pcout << "    MG/OPT's coarse models: " << coarse.n_forward
              << " forward, " << coarse.n_adjoint << " adjoint, "
              << coarse.n_incremental << " Hessian-vector products on "
              << coarse_level->name << std::endl;
        sequencing.solves.n_forward += coarse.n_forward;
        sequencing.solves.n_failed_forward += coarse.n_failed_forward;
        sequencing.solves.n_adjoint += coarse.n_adjoint;
        sequencing.solves.n_incremental += coarse.n_incremental;
      }
    if (finer_level && !skip_level)
      {
        sequencing.decrease_ratio = sequencing.last_decrease > 0. ?
                                      level_decrease / sequencing.last_decrease :
                                      0.;
        sequencing.last_decrease = level_decrease;
      }
    if (sequencing_level > 0 || finer_level)
      sequencing.last_target = discrepancy_last_target;
    field.set_parameters(m);
    assess(last_iteration, last_written != static_cast<int>(last_iteration));
    write_coefficient_grid(output_dofs, q);
    // Every cycle's field, for a study that measures the cycles against a
    // reference (Study/Reference).
    if (p.adaptive_cycles > 0)
      write_coefficient_grid(output_dofs,
                             q,
                             "coefficient_grid_cycle_" +
                               std::to_string(stage_2_cycle) + ".dat");
    // A network's weights, to start another run from (Coefficient/Neural
    // network/Weights file).
    const NeuralCoefficient<dim> *network =
      hybrid ? &hybrid->neural_part() :
               dynamic_cast<const NeuralCoefficient<dim> *>(&field);
    const std::string weights_file =
      join_path(output_parameters.directory, "neural_weights.txt");
    if (network != nullptr &&
        Utilities::MPI::this_mpi_process(communicator) == 0)
      write_file_atomically(weights_file, [&](std::ostream &out) {
        network->write_weights(out);
      });

    const ObjectiveStatistics &stats       = objective.statistics();
    const double               equivalents = forward_solve_equivalents(stats);
    const double               total_work  = work();
    // The same work measured in time: the optimization (discrepancy trials
    // and coarser levels included) over the wall time of one forward run.
    const double optimization_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                    optimization_start)
        .count();
    // (A coarser level's time, printed with Print timings, is its own.)
    const double seconds_before =
      stage_2_cycle == 0 && sequencing_level == 0 ? sequencing.seconds : 0.;
    const double time_equivalents = (seconds_before + optimization_seconds) /
                                    std::max(stats.forward_seconds, 1e-300);
    pcout << "  "
          << (result.converged ? result.reason : "NOT converged: " + result.reason)
          << " after "
          << result.iterations << " iterations"
          << (p.discrepancy_principle ?
                " (and " + std::to_string(discrepancy_iterations) +
                  " in the discrepancy search)" :
                std::string())
          << "; " << stats.n_forward
          << " forward, " << stats.n_adjoint << " adjoint, "
          << stats.n_incremental << " Hessian-vector products ("
          << internal::format(equivalents) << " forward-solve equivalents"
          << (p.coarse_levels > 0 && stage_2_cycle == 0 ?
                " here, " + internal::format(total_work) +
                  " of the given mesh with the coarser levels" :
                std::string())
          << ")" << std::endl;
    if (stats.n_failed_forward > 0)
      pcout << "  " << stats.n_failed_forward
            << " trial steps were rejected because the state solve did not "
               "converge there"
            << std::endl;
    pcout << "  against the ground truth: correlation "
          << internal::format(scores.correlation) << " (interior "
          << internal::format(scores.correlation_interior)
          << "), relative L2 error " << internal::format(scores.relative_error)
          << " (interior " << internal::format(scores.relative_error_interior)
          << "); misfit " << internal::format(objective.misfit())
          << " (1/2 at the noise level)" << std::endl;
    if (writer)
      pcout << "  fields: "
            << join_path(output_parameters.directory, writer->pvd_name())
            << ", history: " << history_file << std::endl;
    if (network != nullptr)
      pcout << "  network weights: " << weights_file << std::endl;
    if (output_parameters.print_timings)
      pcout << "  optimization " << internal::format(optimization_seconds)
            << " s, one forward run " << internal::format(stats.forward_seconds)
            << " s: " << internal::format(time_equivalents)
            << " forward-solve equivalents in time" << std::endl;

    if (sequencing_level > 0)
      {
        const std::string level =
          "stage 2 levels/" + std::to_string(sequencing_level);
        scores.add_to(summary, level);
        summary.set(level + "/state unknowns",
                    solvers.front()->dof_handler().n_dofs());
        summary.set(level + "/unknowns", field.parameters().size());
        summary.set(level + "/iterations",
                    result.iterations + discrepancy_iterations);
        summary.set(level + "/misfit", objective.misfit());
        if (finer_level)
          summary.set(level + "/decrease of N J", level_decrease);
        summary.set(level + "/forward-solve equivalents of the given mesh",
                    total_work - work_before);
        summary.set(level + "/optimization time [s]", optimization_seconds);
        if (!finer_level)
          {
            sequencing.reference_gradient =
              reference_gradient > 0. ? reference_gradient :
                                        optimizer.initial_gradient_norm();
            sequencing.reference_scale = gradient_norm_scale();
          }
        sequencing.work = total_work;
        sequencing.seconds += optimization_seconds;
        sequencing.iterations += result.iterations + discrepancy_iterations;
        sequencing.solves.n_forward += stats.n_forward;
        sequencing.solves.n_failed_forward += stats.n_failed_forward;
        sequencing.solves.n_adjoint += stats.n_adjoint;
        sequencing.solves.n_incremental += stats.n_incremental;
        return;
      }
    // Cycle 0 counts the coarser levels of grid sequencing too.
    const ObjectiveStatistics &before =
      stage_2_cycle == 0 ? sequencing.solves : ObjectiveStatistics();
    const unsigned int iterations_before =
      stage_2_cycle == 0 ? sequencing.iterations : 0;
    scores.add_to(summary, "stage 2");
    summary.set("stage 2/unknowns", field.parameters().size());
    summary.set("stage 2/iterations",
                iterations_before + result.iterations + discrepancy_iterations);
    summary.set("stage 2/converged", result.converged);
    summary.set("stage 2/stop reason", result.reason);
    summary.set("stage 2/misfit", objective.misfit());
    summary.set("stage 2/data", objective.n_data_total());
    if (finer_level)
      summary.set("stage 2/decrease of N J", level_decrease);
    summary.set("stage 2/regularization weight", regularization->weight());
    summary.set("stage 2/regularization", objective.regularization_value());
    summary.set("stage 2/forward solves", before.n_forward + stats.n_forward);
    if (before.n_failed_forward + stats.n_failed_forward > 0)
      summary.set("stage 2/failed forward solves",
                  before.n_failed_forward + stats.n_failed_forward);
    summary.set("stage 2/adjoint solves", before.n_adjoint + stats.n_adjoint);
    summary.set("stage 2/Hessian-vector products",
                before.n_incremental + stats.n_incremental);
    summary.set("stage 2/forward-solve equivalents", total_work);
    summary.set("stage 2/forward-solve equivalents in time", time_equivalents);
    summary.set("stage 2/optimization time [s]",
                seconds_before + optimization_seconds);
    summary.set("stage 2/forward run time [s]", stats.forward_seconds);

    AdaptiveCycle row;
    row.active_cells  = triangulation->n_global_active_cells();
    row.state_unknowns = solvers.front()->dof_handler().n_dofs();
    row.parameter_unknowns = field.parameters().size();
    row.iterations =
      iterations_before + result.iterations + discrepancy_iterations;
    row.misfit                  = objective.misfit();
    row.scores                  = scores;
    row.forward_solve_equivalents = total_work;
    row.seconds                   = seconds_before + optimization_seconds;
    stage_2_cycles.push_back(row);
  }



  template <int dim>
  double
  Study<dim>::choose_weight_by_discrepancy(
    ReducedObjective<dim> &                          objective,
    Optimizer<dim> &                                 optimizer,
    LA::Vector &                                     parameters,
    const std::function<double(const LA::Vector &)> &model_error)
  {
    const Stage2Parameters &p = inverse_parameters.stage_2;
    double model_error_share = model_error ? model_error(parameters) : 0.;
    auto [target, spread] = discrepancy_target(model_error_share);

    struct Trial
    {
      double     alpha;
      double     misfit;
      LA::Vector parameters;
      /// The trust region's radius its steps ended with.
      double     radius;
    };
    std::vector<Trial> trials;
    discrepancy_reference_gradient = 0.;
    discrepancy_iterations         = 0;
    const auto quiet = [](const IterationReport &) {};
    const auto trial = [&](const double alpha) {
      // A weight tried before (a search again for a moved target) is not
      // optimized again.
      for (const Trial &t : trials)
        if (t.alpha == alpha)
          return t.misfit;
      // Warm start from the trial nearest in log(alpha), with the trust
      // region its steps ended with (not ROL's radius from a Cauchy step,
      // which costs a product and may cut the first Newton step).
      const Trial *nearest = nullptr;
      for (const Trial &t : trials)
        if (nearest == nullptr || std::abs(std::log(t.alpha / alpha)) <
                                    std::abs(std::log(nearest->alpha / alpha)))
          nearest = &t;
      LA::Vector start = nearest != nullptr ? nearest->parameters : parameters;
      if (nearest != nullptr && nearest->radius > 0.)
        optimizer.set_initial_radius(nearest->radius);
      regularization->set_weight(alpha);
      objective.invalidate();
      // The gradient tolerance of a warm-started trial is relative to the
      // misfit's gradient at its start (the gradient it had to balance at
      // the previous weight), not to the gradient at the warm start, which
      // is small when the weights are close, nor to that of the first
      // trial, which may be so large that the later ones would stop at
      // once.
      double reference = 0.;
      if (!trials.empty())
        {
          LA::Vector gradient = start;
          LA::Vector regularization_gradient = start;
          objective.gradient(start, gradient);
          regularization->gradient(start, regularization_gradient);
          gradient -= regularization_gradient;
          reference = optimizer.gradient_norm(gradient);
        }
      // A trial needs its misfit to the search's resolution only: the
      // final optimization polishes the chosen one.
      optimizer.set_one_step_prediction(true);
      const OptimizerResult result = optimizer.solve(start, quiet, reference);
      optimizer.set_one_step_prediction(false);
      if (discrepancy_reference_gradient == 0.)
        discrepancy_reference_gradient =
          reference > 0. ? reference : optimizer.initial_gradient_norm();
      trials.push_back(
        {alpha, objective.misfit(), start, optimizer.last_radius()});
      discrepancy_iterations += result.iterations;
      pcout << "    alpha " << internal::format(alpha) << ": misfit "
            << internal::format(objective.misfit()) << " after "
            << result.iterations << " iterations"
            << (result.converged ? "" : " (" + result.reason + ")") << std::endl;
      return objective.misfit();
    };

    // Morozov's choice: the weight whose minimizer's misfit is tau^2/2.
    // The misfit is a mean of N squared standardized residuals: at the noise
    // level it fluctuates by sqrt(2/N) relative, so closer than that to the
    // target is as close as the data can tell; but near the noise level the
    // misfit is flat in alpha, and anywhere in that spread can mean weights
    // a factor of 10 apart (the largest of them over-smooths, the first one
    // found is a matter of luck): the search goes on to a quarter of the
    // spread and takes the trial closest to the target.
    const auto in_window = [&](const double misfit) {
      return std::abs(misfit - target) <= 0.25 * spread;
    };
    // With the model error, the search starts again from the weight chosen
    // if the error estimated at its minimizer moves the target by more than
    // the search's resolution (at most twice).
    double chosen_alpha = 0.;
    for (unsigned int pass = 0;; ++pass)
      {
        const double aim = target;
        pcout << "  discrepancy principle: the weight alpha whose misfit is "
              << (model_error ? "tau^2/2 (1 + eps^2) = " : "tau^2/2 = ")
              << internal::format(target) << " (to a quarter of its spread "
              << internal::format(spread) << ")" << std::endl;

        // Bracket the aim by factors of 10 (the misfit grows with alpha).
        // A later adaptive cycle or level starts from the weight of the
        // last, a search again from the weight it chose.
        double alpha =
          pass > 0 ? chosen_alpha :
          stage_2_cycle > 0 || sequencing_level < p.coarse_levels ?
                     regularization->weight() :
                     p.regularization_weight;
        double       misfit = trial(alpha);
        double       low = 0., high = 0., misfit_low = 0., misfit_high = 0.;
        const double factor = (misfit < aim) ? 10. : 0.1;
        (misfit < aim ? low : high)               = alpha;
        (misfit < aim ? misfit_low : misfit_high) = misfit;
        // A misfit above the target (by more than twice its spread, the
        // noise's own scale) that a tenfold smaller weight lowers by less
        // than a tenth of its excess has reached its floor: what is left is
        // the model's error on this mesh, not the noise, and smaller
        // weights would only fit the noise elsewhere (and cost ever more
        // iterations). The larger weight of the two stays.
        // So has one that a tenfold smaller weight lowers by less than a
        // quarter of the spread, the resolution of the search: the data
        // cannot tell the smaller weights apart, which would only fit the
        // noise.
        double plateau_alpha = 0.;
        double flat_from     = 0.;
        for (unsigned int k = 0;
             k < 6 && !in_window(misfit) && (low == 0. || high == 0.);
             ++k)
          {
            const double last_alpha  = alpha;
            const double last_misfit = misfit;
            alpha *= factor;
            misfit = trial(alpha);
            (misfit < aim ? low : high)               = alpha;
            (misfit < aim ? misfit_low : misfit_high) = misfit;
            if (factor < 1. && misfit - aim > 0.9 * (last_misfit - aim) &&
                misfit - aim > 2. * spread)
              {
                plateau_alpha = last_alpha;
                break;
              }
            if (factor < 1. && misfit > aim &&
                last_misfit - misfit < 0.25 * spread)
              {
                plateau_alpha = last_alpha;
                flat_from     = last_misfit;
                break;
              }
          }

        if (flat_from > 0.)
          pcout << "  the misfit hardly changes as the weight falls tenfold ("
                << internal::format(flat_from) << " to "
                << internal::format(misfit)
                << ", less than a quarter of its spread): smaller weights "
                   "would fit the noise; keeping alpha "
                << internal::format(plateau_alpha)
                << (flat_from - aim > 2. * spread ?
                      ", whose misfit is more than twice the spread above the "
                      "target: on this mesh the model cannot fit the data to "
                      "their noise" :
                      "")
                << "." << std::endl;
        else if (plateau_alpha > 0.)
          pcout << "  warning: the misfit stays at " << internal::format(misfit)
                << " as the weight falls tenfold, above the target "
                << internal::format(target)
                << ": on this mesh the model cannot fit the data to their "
                   "noise (its discretization error is larger). Keeping alpha "
                << internal::format(plateau_alpha) << "; refine the mesh"
                << (model_error || p.model_error_correction > 0 ?
                      std::string() :
                      ", set 'Inverse problem/Stage 2/Discrepancy model "
                      "error = true' or 'Model error correction = 1'")
                << (sequencing_level > 0 ?
                      ", or lower 'Inverse problem/Stage 2/Grid sequencing "
                      "levels' (this is a coarser level)" :
                      std::string())
                << "." << std::endl;
        else if (!in_window(misfit) && low > 0. && high > 0.)
          // Regula falsi in log(alpha), kept away from the ends.
          for (unsigned int k = 0; k < 6 && !in_window(misfit); ++k)
            {
              double fraction = (aim - misfit_low) / (misfit_high - misfit_low);
              fraction        = std::min(0.8, std::max(0.2, fraction));
              alpha           = low * std::pow(high / low, fraction);
              misfit          = trial(alpha);
              (misfit < aim ? low : high)               = alpha;
              (misfit < aim ? misfit_low : misfit_high) = misfit;
            }
        else if (!in_window(misfit))
          pcout << "  warning: no weight within a factor 1e6 of the given one "
                   "reaches the target misfit; taking the closest."
                << std::endl;

        chosen_alpha =
          plateau_alpha > 0. ?
            plateau_alpha :
            std::min_element(trials.begin(),
                             trials.end(),
                             [&](const Trial &a, const Trial &b) {
                               return std::abs(a.misfit - target) <
                                      std::abs(b.misfit - target);
                             })
              ->alpha;
        if (!model_error || pass == 2)
          break;
        const auto chosen =
          std::find_if(trials.begin(), trials.end(), [&](const Trial &t) {
            return t.alpha == chosen_alpha;
          });
        const double share = model_error(chosen->parameters);
        const auto [moved_target, moved_spread] = discrepancy_target(share);
        if (std::abs(moved_target - target) <= 0.25 * spread)
          break;
        pcout << "    at the weight chosen the target moves from "
              << internal::format(target) << " to "
              << internal::format(moved_target) << ": searched again"
              << std::endl;
        model_error_share = share;
        target            = moved_target;
        spread            = moved_spread;
      }

    const auto chosen =
      std::find_if(trials.begin(), trials.end(), [&](const Trial &t) {
        return t.alpha == chosen_alpha;
      });
    AssertThrow(chosen != trials.end(), ExcInternalError());
    regularization->set_weight(chosen->alpha);
    objective.invalidate();
    parameters = chosen->parameters;
    if (chosen->radius > 0.)
      optimizer.set_initial_radius(chosen->radius);
    discrepancy_last_target = target;
    summary.set("stage 2/discrepancy trials", trials.size());
    summary.set("stage 2/discrepancy target", target);
    if (model_error)
      summary.set("stage 2/model error", std::sqrt(model_error_share));
    return chosen->alpha;
  }



  template <int dim>
  std::pair<double, double>
  Study<dim>::discrepancy_target(const double model_error) const
  {
    const Stage2Parameters &p = inverse_parameters.stage_2;
    // The misfit of the truth: the mean of N squared residuals (noise plus
    // model error e) over 2 sigma^2, whose mean is (1 + eps^2)/2 and whose
    // standard deviation sqrt(2/N (1 + 2 eps^2))/2.
    const double scale = 0.5 * p.discrepancy_factor * p.discrepancy_factor;
    unsigned int n_data = 0;
    for (const auto &data : observations)
      n_data += data.n_points() * data.n_snapshots();
    return {scale * (1. + model_error),
            scale * std::sqrt(2. / std::max(1u, n_data) *
                              (1. + 2. * model_error))};
  }



  template void
  Study<1>::setup_stage_2();
  template void
  Study<2>::setup_stage_2();
  template void
  Study<3>::setup_stage_2();
  template <int dim>
  LA::Vector
  Study<dim>::state_from_data(const unsigned int e, const unsigned int s) const
  {
    const StateSolver<dim> &  solver = *solvers[e];
    const FiniteElement<dim> &fe     = solver.dof_handler().get_fe();
    const unsigned int        c      = models[e]->observed_component();
    const FiniteElement<dim> &base =
      fe.base_element(fe.component_to_base_index(c).first);
    AssertThrow(base.n_components() == 1 && base.has_support_points(),
                ExcMessage("The observed component needs a Lagrange "
                           "element for Stage 2/Initial state = data."));
    // The mollified value at the nodes of the observed component's element.
    const FE_Q<dim> scalar_fe(base.degree);
    DoFHandler<dim> scalar_dofs(*triangulation);
    scalar_dofs.distribute_dofs(scalar_fe);
    const LA::Vector values =
      mollified_data_at_nodes(e,
                              inverse_parameters.stage_2.initial_state_radius,
                              "Inverse problem/Stage 2/Initial state radius",
                              scalar_dofs)[s];

    LA::Vector      state = solvers[e]->make_owned_vector();
    const IndexSet &owned = state.locally_owned_elements();
    std::vector<types::global_dof_index> indices(fe.n_dofs_per_cell());
    std::vector<types::global_dof_index> scalar_indices(
      scalar_fe.n_dofs_per_cell());
    for (const auto &cell : solver.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell->get_dof_indices(indices);
          const typename DoFHandler<dim>::active_cell_iterator scalar_cell(
            triangulation.get(), cell->level(), cell->index(), &scalar_dofs);
          scalar_cell->get_dof_indices(scalar_indices);
          for (unsigned int i = 0; i < indices.size(); ++i)
            {
              const auto [component, index] = fe.system_to_component_index(i);
              if (component == c && owned.is_element(indices[i]))
                state[indices[i]] = values[scalar_indices[index]];
            }
        }
    state.compress(VectorOperation::insert);
    return state;
  }



  template void
  Study<1>::run_stage_2(const Checkpoint *);
  template void
  Study<2>::run_stage_2(const Checkpoint *);
  template void
  Study<3>::run_stage_2(const Checkpoint *);
  template LA::Vector
  Study<1>::state_from_data(unsigned int, unsigned int) const;
  template std::pair<double, double>
  Study<1>::discrepancy_target(const double) const;
  template LA::Vector
  Study<2>::state_from_data(unsigned int, unsigned int) const;
  template std::pair<double, double>
  Study<2>::discrepancy_target(const double) const;
  template LA::Vector
  Study<3>::state_from_data(unsigned int, unsigned int) const;
  template std::pair<double, double>
  Study<3>::discrepancy_target(const double) const;
  template const DoFHandler<1> &
  Study<1>::coefficient_dofs() const;
  template const DoFHandler<2> &
  Study<2>::coefficient_dofs() const;
  template const DoFHandler<3> &
  Study<3>::coefficient_dofs() const;
  template void
  Study<1>::split_parameters(const LA::Vector &, LA::Vector &, LA::Vector &) const;
  template void
  Study<1>::set_parameter_parts(const LA::Vector &, const LA::Vector &);
  template void
  Study<2>::split_parameters(const LA::Vector &, LA::Vector &, LA::Vector &) const;
  template void
  Study<2>::set_parameter_parts(const LA::Vector &, const LA::Vector &);
  template void
  Study<3>::split_parameters(const LA::Vector &, LA::Vector &, LA::Vector &) const;
  template void
  Study<3>::set_parameter_parts(const LA::Vector &, const LA::Vector &);
  template std::unique_ptr<ParameterRegularization>
  Study<1>::make_fe_regularization(const FEFieldCoefficient<1> &,
                                    const double) const;
  template std::unique_ptr<ParameterRegularization>
  Study<2>::make_fe_regularization(const FEFieldCoefficient<2> &,
                                    const double) const;
  template std::unique_ptr<ParameterRegularization>
  Study<3>::make_fe_regularization(const FEFieldCoefficient<3> &,
                                    const double) const;
} // namespace mollifem
