#include <deal.II/base/quadrature_lib.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe_values.h>

#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/solver_gmres.h>
#include <deal.II/lac/sparsity_tools.h>

#include <deal.II/numerics/vector_tools.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/base/format.h>
#include <mollifem/models/state_solver.h>

#include <cmath>
#include <limits>

namespace mollifem
{
  namespace
  {
    const std::pair<double, double> no_jacobian = {
      std::numeric_limits<double>::quiet_NaN(),
      std::numeric_limits<double>::quiet_NaN()};
  }



  template <int dim>
  StateSolver<dim>::StateSolver(const Model<dim> &        model,
                                const Triangulation<dim> &triangulation,
                                const SolverParameters &  parameters)
    : model(model)
    , triangulation(&triangulation)
    , parameters(parameters)
    , fe(model.make_finite_element())
    , mapping_q(fe->degree)
    , own_dofs(std::make_unique<DoFHandler<dim>>(triangulation))
    , dofs(*own_dofs)
    , coefficient(nullptr)
    , jacobian_weights(no_jacobian)
  {
    AssertThrow(fe->n_components() == model.n_components(),
                ExcMessage("The finite element of model '" + model.name() +
                           "' does not have one component per state "
                           "component."));
    setup();
  }



  namespace
  {
    /// A copy of the element of @p dof_handler, which must have one.
    template <int dim>
    std::unique_ptr<FiniteElement<dim>>
    element_of(const Model<dim> &model, const DoFHandler<dim> &dof_handler)
    {
      AssertThrow(dof_handler.has_active_dofs(),
                  ExcMessage("The DoFHandler given for model '" +
                             model.name() +
                             "' has no degrees of freedom: call "
                             "distribute_dofs() first."));
      return dof_handler.get_fe().clone();
    }
  } // namespace



  template <int dim>
  StateSolver<dim>::StateSolver(const Model<dim> &      model,
                                const DoFHandler<dim> & dof_handler,
                                const SolverParameters &parameters)
    : model(model)
    , triangulation(&dof_handler.get_triangulation())
    , parameters(parameters)
    , fe(element_of(model, dof_handler))
    , mapping_q(fe->degree)
    , dofs(dof_handler)
    , coefficient(nullptr)
    , jacobian_weights(no_jacobian)
  {
    AssertThrow(fe->n_components() == model.n_components(),
                ExcMessage("The finite element of the DoFHandler given for "
                           "model '" + model.name() + "' has " +
                           std::to_string(fe->n_components()) +
                           " components, the model's state " +
                           std::to_string(model.n_components()) + "."));
    setup();
  }



  template <int dim>
  void
  StateSolver<dim>::setup()
  {
    if (own_dofs)
      own_dofs->distribute_dofs(*fe);
    owned_dofs = dofs.locally_owned_dofs();
    DoFTools::extract_locally_relevant_dofs(dofs, relevant_dofs);
    make_constraints(0., /*homogeneous=*/true, zero_constraints);

    const MPI_Comm         communicator = triangulation->get_communicator();
    DynamicSparsityPattern dsp(relevant_dofs);
    DoFTools::make_sparsity_pattern(dofs, dsp, zero_constraints, false);
    SparsityTools::distribute_sparsity_pattern(dsp,
                                               owned_dofs,
                                               communicator,
                                               relevant_dofs);
    sparsity.reinit(owned_dofs, owned_dofs, dsp, communicator);
    reinit_matrix(jacobian);
    jacobian_weights = no_jacobian;
  }



  template <int dim>
  void
  StateSolver<dim>::reinit_matrix(StateMatrix &matrix) const
  {
    matrix.matrix.reinit(sparsity);
    matrix.invalidate();
  }



  template <int dim>
  void
  StateSolver<dim>::set_coefficient(const CoefficientField<dim> &coefficient)
  {
    this->coefficient = &coefficient;
    jacobian_weights  = no_jacobian;
  }



  template <int dim>
  void
  StateSolver<dim>::make_constraints(
    const double               time,
    const bool                 homogeneous,
    AffineConstraints<double> &constraints) const
  {
    constraints.clear();
    constraints.reinit(relevant_dofs);
    // Hanging nodes first: where a hanging node lies on a Dirichlet
    // boundary, its hanging-node constraint wins.
    DoFTools::make_hanging_node_constraints(dofs, constraints);
    const Functions::ZeroFunction<dim> zero(fe->n_components());
    for (const auto &boundary : model.dirichlet_boundaries())
      {
        if (!homogeneous)
          boundary.data->set_time(time);
        VectorTools::interpolate_boundary_values(
          mapping_q,
          dofs,
          boundary.boundary_id,
          homogeneous ? static_cast<const Function<dim> &>(zero) :
                        *boundary.data,
          constraints,
          boundary.components);
      }
    constraints.close();
  }



  template <int dim>
  void
  StateSolver<dim>::assemble(const LA::Vector &ghosted_state,
                             const double      time,
                             const double      storage_weight,
                             const double      residual_weight,
                             LA::Vector *      residual,
                             LA::SparseMatrix *jacobian,
                             const bool        transpose)
  {
    const bool assemble_jacobian = (jacobian != nullptr);
    Assert(coefficient != nullptr, ExcMessage("Call set_coefficient() first."));
    const unsigned int n_components  = model.n_components();
    const unsigned int dofs_per_cell = fe->n_dofs_per_cell();

    const QGauss<dim>     quadrature(fe->degree + 1);
    const QGauss<dim - 1> face_quadrature(fe->degree + 1);
    FEValues<dim>         fe_values(mapping_q,
                            *fe,
                            quadrature,
                            update_values | update_gradients |
                              update_quadrature_points | update_JxW_values);
    FEFaceValues<dim>     fe_face_values(mapping_q,
                                     *fe,
                                     face_quadrature,
                                     update_values | update_gradients |
                                       update_quadrature_points |
                                       update_JxW_values |
                                       update_normal_vectors);

    std::vector<unsigned int> component_of(dofs_per_cell);
    for (unsigned int i = 0; i < dofs_per_cell; ++i)
      component_of[i] = fe->system_to_component_index(i).first;

    FullMatrix<double>                   cell_matrix(dofs_per_cell);
    FullMatrix<double>                   transposed_matrix(dofs_per_cell);
    Vector<double>                       cell_residual(dofs_per_cell);
    std::vector<types::global_dof_index> dof_indices(dofs_per_cell);
    std::vector<Vector<double>>          values(quadrature.size(),
                                       Vector<double>(n_components));
    std::vector<std::vector<Tensor<1, dim>>> gradients(
      quadrature.size(), std::vector<Tensor<1, dim>>(n_components));
    std::vector<Vector<double>> face_values(face_quadrature.size(),
                                            Vector<double>(n_components));
    std::vector<std::vector<Tensor<1, dim>>> face_gradients(
      face_quadrature.size(), std::vector<Tensor<1, dim>>(n_components));
    std::vector<double> coefficient_values;

    PointState<dim, double>    state(n_components);
    PointResidual<dim, double> point_residual(n_components);
    PointResidual<dim, double> point_storage(n_components);
    PointLinearizer<dim>       linearizer(n_components);
    PointLinearization<dim>    d_residual, d_storage;

    const auto residual_function = [&](const PointState<dim, ADNumber> &s,
                                       PointResidual<dim, ADNumber> &   r) {
      model.residual(s, r);
    };
    const auto storage_function = [&](const PointState<dim, ADNumber> &s,
                                      PointResidual<dim, ADNumber> &   r) {
      model.storage(s, r);
    };
    const auto boundary_function = [&](const PointState<dim, ADNumber> &s,
                                       PointResidual<dim, ADNumber> &   r) {
      model.boundary_residual(s, r);
    };
    using Lin = PointLinearization<dim>;

    // The derivative of r_0 of component ci (row ci of lin.d_value) in the
    // direction of shape function j, which belongs to component cj.
    const auto directional_value = [&](const FullMatrix<double> &d,
                                       const unsigned int        row,
                                       const unsigned int        cj,
                                       const double              phi_j,
                                       const Tensor<1, dim> &    grad_j) {
      double result = d(row, Lin::value_index(cj)) * phi_j;
      for (unsigned int e = 0; e < dim; ++e)
        result += d(row, Lin::gradient_index(cj, e)) * grad_j[e];
      return result;
    };

    if (residual != nullptr)
      *residual = 0.;
    if (assemble_jacobian)
      *jacobian = 0.;

    for (const auto &cell : dofs.active_cell_iterators())
      {
        if (!cell->is_locally_owned())
          continue;
        fe_values.reinit(cell);
        cell_values(fe_values, cell, ghosted_state, dof_indices, values, gradients);
        coefficient->values(fe_values, coefficient_values);
        cell_matrix   = 0.;
        cell_residual = 0.;

        for (unsigned int q = 0; q < quadrature.size(); ++q)
          {
            state.set(values[q],
                      gradients[q],
                      coefficient_values[q],
                      fe_values.quadrature_point(q),
                      time);
            const double JxW = fe_values.JxW(q);

            if (residual != nullptr)
              {
                point_residual.clear();
                point_storage.clear();
                if (residual_weight != 0.)
                  model.residual(state, point_residual);
                if (storage_weight != 0.)
                  model.storage(state, point_storage);
                for (unsigned int i = 0; i < dofs_per_cell; ++i)
                  {
                    const unsigned int c = component_of[i];
                    cell_residual(i) +=
                      (residual_weight *
                         (point_residual.value[c] * fe_values.shape_value(i, q) +
                          point_residual.flux[c] * fe_values.shape_grad(i, q)) +
                       storage_weight * point_storage.value[c] *
                         fe_values.shape_value(i, q)) *
                      JxW;
                  }
              }

            if (assemble_jacobian)
              {
                linearizer.linearize(state, residual_function, false, d_residual);
                if (storage_weight != 0.)
                  linearizer.linearize(state, storage_function, false, d_storage);
                for (unsigned int j = 0; j < dofs_per_cell; ++j)
                  {
                    const unsigned int    cj     = component_of[j];
                    const double          phi_j  = fe_values.shape_value(j, q);
                    const Tensor<1, dim> &grad_j = fe_values.shape_grad(j, q);
                    for (unsigned int i = 0; i < dofs_per_cell; ++i)
                      {
                        const unsigned int ci    = component_of[i];
                        const double       phi_i = fe_values.shape_value(i, q);
                        const Tensor<1, dim> &grad_i =
                          fe_values.shape_grad(i, q);
                        double entry =
                          directional_value(d_residual.d_value, ci, cj, phi_j, grad_j) *
                          phi_i;
                        for (unsigned int d = 0; d < dim; ++d)
                          entry += directional_value(d_residual.d_flux,
                                                     ci * dim + d,
                                                     cj,
                                                     phi_j,
                                                     grad_j) *
                                   grad_i[d];
                        entry *= residual_weight;
                        if (storage_weight != 0.)
                          entry += storage_weight *
                                   directional_value(
                                     d_storage.d_value, ci, cj, phi_j, grad_j) *
                                   phi_i;
                        cell_matrix(i, j) += entry * JxW;
                      }
                  }
              }
          }

        if (residual_weight != 0.)
          for (const auto &face : cell->face_iterators())
            {
              if (!face->at_boundary() ||
                  !model.has_boundary_residual(face->boundary_id()))
                continue;
              fe_face_values.reinit(cell, face);
              fe_face_values.get_function_values(ghosted_state,
                                                 make_array_view(dof_indices),
                                                 face_values);
              fe_face_values.get_function_gradients(
                ghosted_state,
                make_array_view(dof_indices),
                make_array_view(face_gradients));
              for (unsigned int q = 0; q < face_quadrature.size(); ++q)
                {
                  // Boundary terms do not see the coefficient.
                  state.set(face_values[q],
                            face_gradients[q],
                            std::numeric_limits<double>::quiet_NaN(),
                            fe_face_values.quadrature_point(q),
                            time);
                  state.normal      = fe_face_values.normal_vector(q);
                  state.boundary_id = face->boundary_id();
                  const double JxW  = residual_weight * fe_face_values.JxW(q);

                  if (residual != nullptr)
                    {
                      point_residual.clear();
                      model.boundary_residual(state, point_residual);
                      for (unsigned int i = 0; i < dofs_per_cell; ++i)
                        cell_residual(i) +=
                          point_residual.value[component_of[i]] *
                          fe_face_values.shape_value(i, q) * JxW;
                    }
                  if (assemble_jacobian)
                    {
                      linearizer.linearize(state,
                                           boundary_function,
                                           false,
                                           d_residual);
                      for (unsigned int j = 0; j < dofs_per_cell; ++j)
                        for (unsigned int i = 0; i < dofs_per_cell; ++i)
                          cell_matrix(i, j) +=
                            directional_value(d_residual.d_value,
                                              component_of[i],
                                              component_of[j],
                                              fe_face_values.shape_value(j, q),
                                              fe_face_values.shape_grad(j, q)) *
                            fe_face_values.shape_value(i, q) * JxW;
                    }
                }
            }

        if (residual != nullptr)
          zero_constraints.distribute_local_to_global(cell_residual,
                                                      dof_indices,
                                                      *residual);
        if (assemble_jacobian)
          {
            if (transpose)
              transposed_matrix.copy_transposed(cell_matrix);
            zero_constraints.distribute_local_to_global(
              transpose ? transposed_matrix : cell_matrix,
              dof_indices,
              *jacobian);
          }
      }

    if (residual != nullptr)
      residual->compress(VectorOperation::add);
    if (assemble_jacobian)
      {
        jacobian->compress(VectorOperation::add);
        ++stats.n_jacobian_assemblies;
      }
  }



  template <int dim>
  void
  StateSolver<dim>::solve(StateMatrix &     system,
                          const LA::Vector &rhs,
                          LA::Vector &      x)
  {
    std::string kind = parameters.linear_solver;
    if (kind == "auto")
      kind = model.is_symmetric() ? "CG" : "GMRES";

    x = 0.;
    if (kind == "direct")
      {
        if (!system.direct_solver)
          {
            system.direct_control = std::make_unique<SolverControl>(1, 0.);
            system.direct_solver =
              std::make_unique<TrilinosWrappers::SolverDirect>(
                *system.direct_control,
                TrilinosWrappers::SolverDirect::AdditionalData(false,
                                                               "Amesos_Klu"));
            system.direct_solver->initialize(system.matrix);
          }
        system.direct_solver->solve(x, rhs);
        ++stats.n_linear_solves;
        return;
      }

    if (!system.amg)
      {
        TrilinosWrappers::PreconditionAMG::AdditionalData data;
        data.elliptic              = model.is_symmetric();
        data.higher_order_elements = (fe->degree > 1);
        data.smoother_sweeps       = 2;
        data.aggregation_threshold = 0.02;
        DoFTools::extract_constant_modes(dofs,
                                         ComponentMask(fe->n_components(), true),
                                         data.constant_modes);
        system.amg = std::make_unique<TrilinosWrappers::PreconditionAMG>();
        system.amg->initialize(system.matrix, data);
      }

    const double  rhs_norm = rhs.l2_norm();
    SolverControl control(parameters.max_linear_iterations,
                          std::max(parameters.linear_tolerance * rhs_norm,
                                   std::numeric_limits<double>::min()));
    try
      {
        if (kind == "CG")
          {
            SolverCG<LA::Vector> solver(control);
            solver.solve(system.matrix, x, rhs, *system.amg);
          }
        else
          {
            SolverGMRES<LA::Vector> solver(
              control, SolverGMRES<LA::Vector>::AdditionalData(100));
            solver.solve(system.matrix, x, rhs, *system.amg);
          }
      }
    catch (const SolverControl::NoConvergence &failure)
      {
        AssertThrow(false,
                    ExcSolveFailed(
                      "The " + kind + " solver of model '" + model.name() +
                      "' did not converge in " +
                      std::to_string(failure.last_step) +
                      " iterations (residual reduced by " +
                      internal::format(failure.last_residual /
                                       std::max(rhs_norm, 1e-300)) +
                      "). Try 'set Linear solver = direct' or a larger "
                      "'Maximum linear iterations' in subsection Solver."));
      }
    ++stats.n_linear_solves;
    stats.n_linear_iterations += control.last_step();
  }



  template <int dim>
  void
  StateSolver<dim>::newton_solve(LA::Vector &      state,
                                 const double      time,
                                 const double      storage_weight,
                                 const double      residual_weight,
                                 const LA::Vector *constant)
  {
    LA::Vector ghosted  = make_ghosted_vector();
    LA::Vector residual = make_owned_vector();
    LA::Vector update   = make_owned_vector();

    double initial_norm = 0.;
    // A warm start (the previous time step, the previous coefficient of an
    // optimizer) can begin so close to the solution that the residual
    // cannot be reduced by the tolerance in floating point: the iteration
    // also stops when the update is that small relative to the state.
    double update_ratio = std::numeric_limits<double>::infinity();
    for (unsigned int iteration = 0;; ++iteration)
      {
        ghosted = state;
        const bool reuse_jacobian =
          model.is_linear() && jacobian_weights.first == storage_weight &&
          jacobian_weights.second == residual_weight;
        assemble(ghosted,
                 time,
                 storage_weight,
                 residual_weight,
                 &residual,
                 reuse_jacobian ? nullptr : &jacobian.matrix);
        if (!reuse_jacobian)
          {
            jacobian.invalidate();
            jacobian_weights = {storage_weight, residual_weight};
          }
        if (constant != nullptr)
          residual += *constant;

        const double norm = residual.l2_norm();
        if (iteration == 0)
          initial_norm = norm;
        if (norm == 0. ||
            (iteration > 0 &&
             (model.is_linear() ||
              norm <= parameters.newton_tolerance * initial_norm ||
              update_ratio <= parameters.newton_tolerance)))
          break;
        AssertThrow(std::isfinite(norm),
                    ExcSolveFailed(
                      "The residual of model '" + model.name() +
                      "' is not a number after " + std::to_string(iteration) +
                      " Newton iterations at time " + internal::format(time) +
                      ": the coefficient or the state left the range where "
                      "the model is defined."));
        AssertThrow(iteration < parameters.max_newton_iterations,
                    ExcSolveFailed("Newton's method for model '" + model.name() +
                               "' did not converge in " +
                               std::to_string(iteration) +
                               " iterations at time " + internal::format(time) +
                               " (residual reduced by " +
                               internal::format(norm / initial_norm) + ")."));

        residual *= -1.;
        solve(jacobian, residual, update);
        zero_constraints.distribute(update);
        state += update;
        update_ratio = update.l2_norm() / std::max(state.l2_norm(), 1e-300);
        ++stats.n_newton_iterations;

        // A linear model is solved by one step; skip the check above.
        if (model.is_linear())
          break;
      }
  }



  template <int dim>
  void
  StateSolver<dim>::solve_steady(LA::Vector &solution)
  {
    AffineConstraints<double> constraints;
    make_constraints(0., /*homogeneous=*/false, constraints);
    LA::Vector state = make_owned_vector();
    state            = solution;
    constraints.distribute(state);
    if (parameters.pseudo_time_step <= 0. || model.is_linear())
      {
        newton_solve(state, 0., 0., 1., nullptr);
        solution = state;
        return;
      }
    // Newton's method alone may jump to another of the many steady states
    // of a pattern-forming model, or fail: follow the model's dynamics from
    // the initial guess first.
    pseudo_transient_continuation(state);
    newton_solve(state, 0., 0., 1., nullptr);
    solution = state;
  }



  template <int dim>
  void
  StateSolver<dim>::pseudo_transient_continuation(LA::Vector &state)
  {
    LA::Vector ghosted  = make_ghosted_vector();
    LA::Vector constant = make_owned_vector();
    LA::Vector residual = make_owned_vector();
    const auto steady_residual = [&]() {
      ghosted = state;
      assemble(ghosted, 0., 0., 1., &residual, nullptr);
      return residual.l2_norm();
    };
    const double initial_residual = steady_residual();
    const double first_step       = parameters.pseudo_time_step;
    double       dt               = first_step;
    for (unsigned int step = 0;; ++step)
      {
        AssertThrow(step < 1000 && dt >= 1e-6 * first_step,
                    ExcMessage("The pseudo-transient continuation of the "
                               "steady model '" +
                               model.name() +
                               "' did not reach a steady state (pseudo time "
                               "step " +
                               internal::format(dt) +
                               " after " + std::to_string(step) +
                               " steps); try a smaller 'Pseudo time step' in "
                               "subsection Solver."));
        const LA::Vector old = state;
        ghosted              = old;
        // The part of the implicit Euler residual from the old state.
        assemble(ghosted, 0., -1. / dt, 0., &constant, nullptr);
        try
          {
            newton_solve(state, 0., 1. / dt, 1., &constant);
          }
        catch (const ExceptionBase &)
          {
            state = old;
            dt /= 4.;
            continue;
          }
        ++stats.n_time_steps;
        // Done when the state no longer moves (a steady state to begin
        // with: one step), or when the steady residual has dropped by the
        // Newton tolerance; steps this long are Newton's method on the
        // steady problem anyway.
        LA::Vector change = state;
        change -= old;
        if (change.l2_norm() <=
              parameters.newton_tolerance * std::max(state.l2_norm(), 1e-300) ||
            steady_residual() <= parameters.newton_tolerance * initial_residual ||
            dt > 1e12 * first_step)
          return;
        dt *= 2.;
      }
  }



  template <int dim>
  void
  StateSolver<dim>::solve_transient(const TimeParameters &time,
                                    const Observer &      observer,
                                    const LA::Vector *    initial_state)
  {
    LA::Vector state    = make_owned_vector();
    LA::Vector ghosted  = make_ghosted_vector();
    LA::Vector constant = make_owned_vector();

    if (initial_state)
      state = *initial_state;
    else
      {
        const auto initial = model.initial_condition();
        initial->set_time(time.start_time);
        VectorTools::interpolate(mapping_q, dofs, *initial, state);
      }
    AffineConstraints<double> constraints;
    make_constraints(time.start_time, /*homogeneous=*/false, constraints);
    // The initial state keeps its own boundary values, but hanging nodes
    // must be consistent.
    AffineConstraints<double> hanging;
    hanging.reinit(relevant_dofs);
    DoFTools::make_hanging_node_constraints(dofs, hanging);
    hanging.close();
    hanging.distribute(state);
    ghosted = state;
    observer(0, time.start_time, ghosted);

    const double dt    = time.effective_time_step();
    const double theta = time.theta();
    for (unsigned int step = 1; step <= time.n_steps(); ++step)
      {
        const double t_old = time.time(step - 1);
        const double t_new = time.time(step);

        // The part of the residual that depends on the old state only.
        ghosted = state;
        assemble(ghosted, t_old, -1. / dt, 1. - theta, &constant, nullptr);

        make_constraints(t_new, /*homogeneous=*/false, constraints);
        constraints.distribute(state);
        newton_solve(state, t_new, 1. / dt, theta, &constant);
        ++stats.n_time_steps;

        ghosted = state;
        observer(step, t_new, ghosted);
      }
  }



  template <int dim>
  const DoFHandler<dim> &
  StateSolver<dim>::dof_handler() const
  {
    return dofs;
  }



  template <int dim>
  const Mapping<dim> &
  StateSolver<dim>::mapping() const
  {
    return mapping_q;
  }



  template <int dim>
  const AffineConstraints<double> &
  StateSolver<dim>::homogeneous_constraints() const
  {
    return zero_constraints;
  }



  template <int dim>
  LA::Vector
  StateSolver<dim>::make_owned_vector() const
  {
    return LA::Vector(owned_dofs, triangulation->get_communicator());
  }



  template <int dim>
  LA::Vector
  StateSolver<dim>::make_ghosted_vector() const
  {
    return LA::Vector(owned_dofs,
                      relevant_dofs,
                      triangulation->get_communicator());
  }



  template <int dim>
  const SolverStatistics &
  StateSolver<dim>::statistics() const
  {
    return stats;
  }



  template class StateSolver<1>;
  template class StateSolver<2>;
  template class StateSolver<3>;
} // namespace mollifem
