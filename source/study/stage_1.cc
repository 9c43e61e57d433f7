#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/grid/grid_tools.h>

#include <deal.II/numerics/data_out.h>
#include <deal.II/numerics/vector_tools.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/base/files.h>
#include <mollifem/base/format.h>
#include <mollifem/base/parameters.h>
#include <mollifem/inverse/recovery_scores.h>
#include <mollifem/inverse/stage_1.h>
#include <mollifem/output/field_writer.h>
#include <mollifem/study/study.h>

#include <numeric>

namespace mollifem
{
  template <int dim>
  void
  Study<dim>::setup_stage_1()
  {
    const auto &model = models.front();
    // Heat has its strong form in EquationError::add_snapshot(); other
    // models qualify when their residual has no flux (checked in
    // run_stage_1(), point by point): r_0 = 0 is then the strong form.
    const std::vector<DifferentialOperator<dim>> model_operators =
      model->equation_error_operators();
    AssertThrow(model->name() == "heat" || !model_operators.empty() ||
                  (!model->is_transient() && model->n_components() == 1),
                ExcParameter("Inverse problem/Stage 1",
                             "the mollified equation error is implemented "
                             "for the heat model, for models with a strong "
                             "form (Model::equation_error()) and for steady "
                             "one-component models without flux, not for '" +
                               model->name() + "'."));
    AssertThrow(model_operators.empty() || model_operators.front().is_identity(),
                ExcMessage("The first operator of equation_error_operators() "
                           "must be the identity (stage 1 takes the time "
                           "derivative of it)."));
    AssertThrow(!model->is_transient() || observations.front().times.size() >= 2,
                ExcParameter("Inverse problem/Stage 1",
                             "transient data need at least two observation "
                             "times for d/dt."));

    parameter_fe = std::make_unique<FE_Q<dim>>(coefficient_parameters.fe_degree);
    parameter_dofs = std::make_unique<DoFHandler<dim>>(*triangulation);
    parameter_dofs->distribute_dofs(*parameter_fe);
    IndexSet relevant;
    DoFTools::extract_locally_relevant_dofs(*parameter_dofs, relevant);
    parameter_constraints.reinit(relevant);
    DoFTools::make_hanging_node_constraints(*parameter_dofs,
                                            parameter_constraints);
    parameter_constraints.close();

    typename EquationError<dim>::Settings settings;
    settings.gradient_regularization =
      inverse_parameters.gradient_regularization;
    settings.l2_regularization = inverse_parameters.l2_regularization;
    settings.reference         = inverse_parameters.reference_value;
    equation_error = std::make_unique<EquationError<dim>>(
      *parameter_dofs,
      parameter_constraints,
      solvers.front()->mapping(),
      QGauss<dim>(parameter_fe->degree + 1),
      settings);

    std::vector<DifferentialOperator<dim>> operators = model_operators;
    if (operators.empty())
      {
        operators = {DifferentialOperator<dim>::identity()};
        for (const auto &d : DifferentialOperator<dim>::gradient())
          operators.push_back(d);
        if (model->name() == "heat")
          operators.push_back(DifferentialOperator<dim>::laplacian());
      }
    stage_1_mollifier =
      std::make_unique<ConvolutionOperator<dim>>(mollifier_parameters,
                                                 operators);
    // The data are mollified by mollify_for_stage_1(), before any output is
    // written.
    try
      {
        if (model->is_transient())
          time_mollifier = make_time_mollifier(mollifier_parameters,
                                               observations.front().times,
                                               inverse_parameters.time_radius);
      }
    catch (const ExceptionBase &e)
      {
        AssertThrow(false,
                    ExcParameter("Mollifier/Radius", user_message(e)));
      }
  }



  template <int dim>
  void
  Study<dim>::run_stage_1()
  {
    pcout << "Stage 1: mollified equation error for "
          << models.front()->coefficient_name() << " (Q" << parameter_fe->degree
          << ", " << parameter_dofs->n_dofs() << " unknowns";
    if (n_experiments() > 1)
      pcout << ", " << n_experiments() << " experiments";
    pcout << ")" << std::endl;

    const std::vector<std::vector<LA::Vector>> &mollified = stage_1_mollified;

    // The equation errors of all snapshots of all experiments add up in one
    // least-squares problem.
    unsigned int first_snapshot = 0;
    for (unsigned int e = 0; e < n_experiments(); ++e)
      {
        // f(x, t) = -r_0 of the model's residual, which does not depend on
        // the state for the heat model.
        PointState<dim, double>               state(1);
        PointResidual<dim, double>            residual(1);
        ScalarFunctionFromFunctionObject<dim> source([&](const Point<dim> &p) {
          state.point = p;
          state.time  = source.get_time();
          residual.clear();
          models[e]->residual(state, residual);
          return -residual.value[0];
        });
        // Experiments with noisier data count less: weights 1 / sigma_e^2
        // relative to the first experiment.
        // (Noise-free data: equal weights.)
        const double weight =
          (noise_sigmas.empty() || noise_sigmas[e] == 0.) ?
            1. :
            std::pow(noise_sigmas.front() / noise_sigmas[e], 2);

        const Observations<dim> &data = observations[e];
        std::vector<LA::Vector>  values;
        for (unsigned int s = 0; s < data.n_snapshots(); ++s)
          values.push_back(mollified[first_snapshot + s][0]);
        if (!models[e]->equation_error_operators().empty())
          {
            for (unsigned int s = 0; s < data.n_snapshots(); ++s)
              {
                const std::vector<LA::Vector> &fields =
                  mollified[first_snapshot + s];
                LA::Vector rate;
                if (time_mollifier)
                  time_mollifier->apply(1, s, values, rate);
                add_model_equations(*models[e],
                                    fields,
                                    time_mollifier ? &rate : nullptr,
                                    data.is_transient() ? data.times[s] : 0.,
                                    *equation_error,
                                    weight);
              }
            first_snapshot += data.n_snapshots();
            continue;
          }
        if (models[e]->name() != "heat")
          {
            add_pointwise_equations(*models[e],
                                    mollified[first_snapshot],
                                    weight);
            first_snapshot += data.n_snapshots();
            continue;
          }
        for (unsigned int s = 0; s < data.n_snapshots(); ++s)
          {
            const std::vector<LA::Vector> &fields =
              mollified[first_snapshot + s];
            const std::vector<LA::Vector> gradient(fields.begin() + 1,
                                                   fields.begin() + 1 + dim);
            LA::Vector rate;
            if (time_mollifier)
              time_mollifier->apply(1, s, values, rate);
            equation_error->add_snapshot(gradient,
                                         fields[dim + 1],
                                         time_mollifier ? &rate : nullptr,
                                         source,
                                         data.is_transient() ? data.times[s] :
                                                               0.,
                                         weight);
          }
        first_snapshot += data.n_snapshots();
      }
    LA::Vector k;
    equation_error->solve(k);

    stage_1_result = k;
    IndexSet relevant;
    DoFTools::extract_locally_relevant_dofs(*parameter_dofs, relevant);
    LA::Vector k_ghosted(parameter_dofs->locally_owned_dofs(), relevant, communicator);
    k_ghosted = k;

    std::unique_ptr<FieldWriter<dim>> writer;
    if (output_parameters.write_vtu)
      writer = std::make_unique<FieldWriter<dim>>(output_parameters.directory,
                                                  "stage_1",
                                                  communicator);
    const RecoveryScores scores =
      assess_coefficient(*parameter_dofs, k_ghosted, "stage_1", writer.get(), 0.);
    if (!inverse_parameters.stage_2.run)
      write_coefficient_grid(*parameter_dofs, k_ghosted);
    pcout << "  " << equation_error->n_iterations() << " CG iteration"
          << (equation_error->n_iterations() == 1 ? "" : "s")
          << "; against the ground truth: correlation "
          << internal::format(scores.correlation) << " (interior "
          << internal::format(scores.correlation_interior)
          << "), relative L2 error " << internal::format(scores.relative_error)
          << " (interior " << internal::format(scores.relative_error_interior)
          << ")" << std::endl;
    scores.add_to(summary, "stage 1");
    summary.set("stage 1/unknowns", parameter_dofs->n_dofs());
    summary.set("stage 1/CG iterations", equation_error->n_iterations());
    if (writer)
      pcout << "  fields: " << join_path(output_parameters.directory, writer->pvd_name())
            << std::endl;
  }



  template <int dim>
  void
  Study<dim>::mollify_for_stage_1()
  {
    // The snapshots of all experiments are mollified together (the kernel
    // weights are computed once). The operator is applied once: never
    // assembled.
    std::vector<std::vector<double>> all_values;
    for (const auto &data : observations)
      all_values.insert(all_values.end(), data.values.begin(), data.values.end());
    try
      {
        stage_1_mollifier->convolve(observations.front().points,
                                    data_weights,
                                    equation_error->targets(),
                                    all_values,
                                    stage_1_mollified);
      }
    catch (const ExceptionBase &e)
      {
        AssertThrow(false,
                    ExcParameter("Mollifier/Radius", user_message(e)));
      }
  }



  template <int dim>
  void
  Study<dim>::add_pointwise_equations(const Model<dim> &             model,
                                      const std::vector<LA::Vector> &mollified,
                                      const double                   weight)
  {
    // r_0(u, grad u, q) = 0 with u and grad u from the mollified data, affine
    // in q: a q = g with a = dr_0/dq and g = -r_0 at q = 0.
    PointState<dim, double>     state(1);
    PointResidual<dim, double>  residual(1);
    PointLinearizer<dim>        linearizer(1);
    Vector<double>              value(1);
    std::vector<Tensor<1, dim>> gradient(1);
    std::vector<double>         d_value;
    std::vector<Tensor<1, dim>> d_flux;
    const auto residual_function = [&](const PointState<dim, ADNumber> &s,
                                       PointResidual<dim, ADNumber> &   r) {
      model.residual(s, r);
    };
    equation_error->add_equations(
      [&](const types::global_dof_index row,
          const Point<dim> &            point,
          double &                      a,
          Tensor<1, dim> &              b,
          double &                      g) {
        value[0] = mollified[0][row];
        for (unsigned int d = 0; d < dim; ++d)
          gradient[0][d] = mollified[1 + d][row];
        state.set(value, gradient, 0., point, 0.);
        residual.clear();
        model.residual(state, residual);
        linearizer.linearize_coefficient(state,
                                         residual_function,
                                         d_value,
                                         d_flux);
        AssertThrow(residual.flux[0].norm() == 0. && d_flux[0].norm() == 0.,
                    ExcParameter("Inverse problem/Stage 1",
                                 "the weak form of the model '" + model.name() +
                                   "' has a flux term: stage 1 needs its "
                                   "strong form, implemented for heat and "
                                   "for models without flux."));
        a = d_value[0];
        b = Tensor<1, dim>();
        g = -residual.value[0];
      },
      weight);
  }



  template <int dim>
  RecoveryScores
  Study<dim>::assess_coefficient(const DoFHandler<dim> &dof_handler,
                                 const LA::Vector &     field,
                                 const std::string &    label,
                                 FieldWriter<dim> *     writer,
                                 const double           time) const
  {
    const Function<dim> &truth = *this->truth_function;
    const unsigned int degree = dof_handler.get_fe().degree;
    const RecoveryScores scores =
      RecoveryScores::compute(dof_handler,
                              field,
                              truth,
                              solvers.front()->mapping(),
                              QGauss<dim>(degree + 2));
    if (writer == nullptr)
      return scores;

    LA::Vector truth_owned(dof_handler.locally_owned_dofs(), communicator);
    VectorTools::interpolate(solvers.front()->mapping(),
                             dof_handler,
                             truth,
                             truth_owned);
    LA::Vector difference_owned(truth_owned);
    difference_owned = field;
    difference_owned -= truth_owned;
    LA::Vector truth_ghosted(field);
    truth_ghosted = truth_owned;
    LA::Vector difference(field);
    difference = difference_owned;
    DataOut<dim>      data_out;
    const std::string name = models.front()->coefficient_name();
    data_out.add_data_vector(dof_handler, field, name + "_" + label);
    data_out.add_data_vector(dof_handler, truth_ghosted, name + "_true");
    data_out.add_data_vector(dof_handler, difference, name + "_error");
    data_out.build_patches(solvers.front()->mapping(), degree);
    writer->write(data_out, time);
    return scores;
  }



  template void
  Study<1>::setup_stage_1();
  template void
  Study<2>::setup_stage_1();
  template void
  Study<3>::setup_stage_1();
  template void
  Study<1>::run_stage_1();
  template void
  Study<2>::run_stage_1();
  template void
  Study<3>::run_stage_1();
  template void
  Study<1>::mollify_for_stage_1();
  template void
  Study<2>::mollify_for_stage_1();
  template void
  Study<3>::mollify_for_stage_1();
  template void
  Study<1>::add_pointwise_equations(const Model<1> &,
                                    const std::vector<LA::Vector> &,
                                    double);
  template void
  Study<2>::add_pointwise_equations(const Model<2> &,
                                    const std::vector<LA::Vector> &,
                                    double);
  template void
  Study<3>::add_pointwise_equations(const Model<3> &,
                                    const std::vector<LA::Vector> &,
                                    double);
  template RecoveryScores
  Study<1>::assess_coefficient(const DoFHandler<1> &,
                               const LA::Vector &,
                               const std::string &,
                               FieldWriter<1> *,
                               double) const;
  template RecoveryScores
  Study<2>::assess_coefficient(const DoFHandler<2> &,
                               const LA::Vector &,
                               const std::string &,
                               FieldWriter<2> *,
                               double) const;
  template RecoveryScores
  Study<3>::assess_coefficient(const DoFHandler<3> &,
                               const LA::Vector &,
                               const std::string &,
                               FieldWriter<3> *,
                               double) const;
} // namespace mollifem
