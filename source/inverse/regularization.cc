#include <deal.II/base/quadrature_lib.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe_values.h>

#include <deal.II/grid/grid_tools.h>

#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/sparsity_tools.h>

#include <mollifem/inverse/regularization.h>

#include <cmath>

namespace mollifem
{
  WeightDecay::WeightDecay(const std::string &type,
                           const double       weight,
                           const LA::Vector & reference)
    : kind(type)
    , alpha(weight)
    , reference(reference)
  {
    AssertThrow(kind == "none" || kind == "L2",
                ExcMessage("A neural field's regularization is 'L2' (weight "
                           "decay) or 'none', not '" + kind + "'."));
    AssertThrow(weight >= 0., ExcMessage("A regularization weight is >= 0."));
  }



  double
  WeightDecay::value(const LA::Vector &parameters) const
  {
    if (kind == "none")
      return 0.;
    LA::Vector difference = parameters;
    difference -= reference;
    return 0.5 * alpha * (difference * difference);
  }



  void
  WeightDecay::gradient(const LA::Vector &parameters, LA::Vector &gradient) const
  {
    gradient = parameters;
    gradient -= reference;
    gradient *= (kind == "none") ? 0. : alpha;
  }



  void
  WeightDecay::hessian_vmult(const LA::Vector &,
                             const LA::Vector &direction,
                             LA::Vector &      result) const
  {
    result = direction;
    result *= (kind == "none") ? 0. : alpha;
  }



  void
  WeightDecay::apply_preconditioner_inverse(const LA::Vector &direction,
                                            LA::Vector &      result) const
  {
    result = direction;
    if (kind != "none" && alpha > 0.)
      result *= 1. / alpha;
  }



  const std::string &
  WeightDecay::type() const
  {
    return kind;
  }



  double
  WeightDecay::weight() const
  {
    return alpha;
  }



  void
  WeightDecay::set_weight(const double weight)
  {
    AssertThrow(weight >= 0., ExcMessage("A regularization weight is >= 0."));
    alpha = weight;
  }



  template <int dim>
  Regularization<dim>::Regularization(
    const DoFHandler<dim> &          dof_handler,
    const AffineConstraints<double> &constraints,
    const std::string &              type,
    const double                     weight,
    const double                     reference,
    const double                     smoothing,
    const double                     length)
    : dof_handler(&dof_handler)
    , constraints(&constraints)
    , kind(type)
    , alpha(weight)
    , reference(reference)
    , epsilon(smoothing)
    , length(length)
  {
    AssertThrow(kind == "none" || kind == "L2" || kind == "H1" ||
                  kind == "TV" || kind == "H2",
                ExcMessage("Unknown regularization '" + kind + "'."));
    AssertThrow(weight >= 0., ExcMessage("A regularization weight is >= 0."));
    AssertThrow(kind != "TV" || smoothing > 0.,
                ExcMessage("The TV smoothing must be positive."));
    AssertThrow(kind != "H2" || length > 0.,
                ExcMessage("The H2 smoothness length must be positive."));
  }



  template <int dim>
  void
  Regularization<dim>::integrand(const double          m,
                                 const Tensor<1, dim> &g,
                                 const double          v,
                                 const Tensor<1, dim> &grad_v,
                                 double &              rho,
                                 double &              d_m,
                                 Tensor<1, dim> &      d_g,
                                 double &              h_m,
                                 Tensor<1, dim> &      h_g) const
  {
    rho = d_m = h_m = 0.;
    d_g = h_g = Tensor<1, dim>();
    if (kind == "L2")
      {
        rho = 0.5 * (m - reference) * (m - reference);
        d_m = m - reference;
        h_m = v;
      }
    else if (kind == "H1" || kind == "H2")
      {
        rho = 0.5 * (g * g);
        d_g = g;
        h_g = grad_v;
      }
    else if (kind == "TV")
      {
        const double s = std::sqrt(g * g + epsilon * epsilon);
        rho            = s;
        d_g            = g / s;
        h_g            = grad_v / s - g * ((g * grad_v) / (s * s * s));
      }
  }



  template <int dim>
  double
  Regularization<dim>::assemble(const LA::Vector &parameters,
                                const LA::Vector *direction,
                                LA::Vector *      result,
                                const bool        hessian) const
  {
    const MPI_Comm communicator =
      dof_handler->get_triangulation().get_communicator();
    if (result != nullptr)
      *result = 0.;
    if (kind == "none" || alpha == 0.)
      return 0.;

    IndexSet relevant;
    DoFTools::extract_locally_relevant_dofs(*dof_handler, relevant);
    LA::Vector m(dof_handler->locally_owned_dofs(), relevant, communicator);
    m = parameters;
    LA::Vector v;
    if (direction != nullptr)
      {
        LA::Vector owned = *direction;
        constraints->distribute(owned);
        v.reinit(m);
        v = owned;
      }

    const auto &       fe = dof_handler->get_fe();
    const QGauss<dim>  quadrature(fe.degree + 1);
    FEValues<dim>      fe_values(fe,
                            quadrature,
                            update_values | update_gradients |
                              update_JxW_values);
    const unsigned int n_q = quadrature.size();
    std::vector<double>                  m_values(n_q), v_values(n_q, 0.);
    std::vector<Tensor<1, dim>>          m_gradients(n_q), v_gradients(n_q);
    Vector<double>                       cell_vector(fe.n_dofs_per_cell());
    std::vector<types::global_dof_index> dof_indices(fe.n_dofs_per_cell());

    double local_value = 0.;
    for (const auto &cell : dof_handler->active_cell_iterators())
      {
        if (!cell->is_locally_owned())
          continue;
        fe_values.reinit(cell);
        // Through the dof indices: no temporary vector per cell.
        cell->get_dof_indices(dof_indices);
        const auto indices = make_array_view(dof_indices);
        fe_values.get_function_values(m, indices, m_values);
        fe_values.get_function_gradients(m, indices, m_gradients);
        if (hessian)
          {
            fe_values.get_function_values(v, indices, v_values);
            fe_values.get_function_gradients(v, indices, v_gradients);
          }
        cell_vector = 0.;
        for (unsigned int q = 0; q < n_q; ++q)
          {
            double         rho, d_m, h_m;
            Tensor<1, dim> d_g, h_g;
            integrand(m_values[q],
                      m_gradients[q],
                      v_values[q],
                      v_gradients[q],
                      rho,
                      d_m,
                      d_g,
                      h_m,
                      h_g);
            const double JxW = fe_values.JxW(q);
            local_value += rho * JxW;
            if (result == nullptr)
              continue;
            const double         a = hessian ? h_m : d_m;
            const Tensor<1, dim> b = hessian ? h_g : d_g;
            for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
              cell_vector(i) += (a * fe_values.shape_value(i, q) +
                                 b * fe_values.shape_grad(i, q)) *
                                JxW;
          }
        if (result != nullptr)
          constraints->distribute_local_to_global(cell_vector,
                                                  dof_indices,
                                                  *result);
      }
    double value = Utilities::MPI::sum(local_value, communicator);
    if (result != nullptr)
      result->compress(VectorOperation::add);
    if (kind == "H2")
      value += laplacian_term(parameters, hessian ? direction : nullptr, result);
    if (result != nullptr)
      *result *= alpha;
    return alpha * value;
  }



  template <int dim>
  void
  Regularization<dim>::reinit_matrix(LA::SparseMatrix &matrix) const
  {
    const MPI_Comm communicator =
      dof_handler->get_triangulation().get_communicator();
    IndexSet relevant;
    DoFTools::extract_locally_relevant_dofs(*dof_handler, relevant);
    DynamicSparsityPattern dsp(relevant);
    DoFTools::make_sparsity_pattern(*dof_handler, dsp, *constraints, false);
    SparsityTools::distribute_sparsity_pattern(dsp,
                                               dof_handler->locally_owned_dofs(),
                                               communicator,
                                               relevant);
    matrix.reinit(dof_handler->locally_owned_dofs(),
                  dof_handler->locally_owned_dofs(),
                  dsp,
                  communicator);
  }



  template <int dim>
  void
  Regularization<dim>::setup_laplacian() const
  {
    reinit_matrix(stiffness);
    assemble_matrix(1., 0., stiffness);

    lumped_weights = lumped_mass(*dof_handler, *constraints);
    interior_inverse_weights.reinit(lumped_weights);
    const IndexSet boundary = DoFTools::extract_boundary_dofs(*dof_handler);
    for (const auto i : lumped_weights.locally_owned_elements())
      interior_inverse_weights[i] =
        (constraints->is_constrained(i) || boundary.is_element(i)) ?
          0. :
          1. / lumped_weights[i];
    interior_inverse_weights.compress(VectorOperation::insert);
  }



  template <int dim>
  double
  Regularization<dim>::laplacian_term(const LA::Vector &parameters,
                                      const LA::Vector *direction,
                                      LA::Vector *      result) const
  {
    if (lumped_weights.size() == 0)
      setup_laplacian();
    // Km at the interior nodes, and the term's value.
    LA::Vector Km(lumped_weights), scaled(lumped_weights);
    stiffness.vmult(Km, parameters);
    scaled = Km;
    scaled.scale(interior_inverse_weights);
    const double value = 0.5 * length * length * (Km * scaled);
    if (result == nullptr)
      return value;
    // Gradient l^2 K D W^-1 K m; the Hessian is the same with v for m.
    if (direction != nullptr)
      {
        stiffness.vmult(scaled, *direction);
        scaled.scale(interior_inverse_weights);
      }
    stiffness.vmult(Km, scaled);
    result->add(length * length, Km);
    return value;
  }



  template <int dim>
  double
  Regularization<dim>::value(const LA::Vector &parameters) const
  {
    return assemble(parameters, nullptr, nullptr, false);
  }



  template <int dim>
  void
  Regularization<dim>::gradient(const LA::Vector &parameters,
                                LA::Vector &      gradient) const
  {
    assemble(parameters, nullptr, &gradient, false);
  }



  template <int dim>
  void
  Regularization<dim>::hessian_vmult(const LA::Vector &parameters,
                                     const LA::Vector &direction,
                                     LA::Vector &      result) const
  {
    assemble(parameters, &direction, &result, true);
  }



  template <int dim>
  bool
  Regularization<dim>::preconditioner_diagonal(LA::Vector &diagonal) const
  {
    if (!preconditioner_amg || (kind != "H2" && preconditioner_alpha != alpha))
      setup_preconditioner();
    for (const auto i : diagonal.locally_owned_elements())
      {
        const double d = preconditioner_matrix.diag_element(i);
        diagonal[i]    = kind == "H2" ? std::max(alpha, 1e-300) * length *
                                         length * d * d / lumped_weights[i] :
                                        d;
      }
    diagonal.compress(VectorOperation::insert);
    return true;
  }



  template <int dim>
  void
  Regularization<dim>::setup_preconditioner() const
  {
    const double diameter =
      GridTools::diameter(dof_handler->get_triangulation());
    double a = 0., b = 1.;
    if (kind == "H1" || kind == "TV")
      {
        a = (kind == "H1") ? alpha : alpha / epsilon;
        b = a / (diameter * diameter);
      }
    else if (kind == "L2")
      b = alpha;
    if (a == 0. && b == 0.)
      b = 1.;

    reinit_matrix(preconditioner_matrix);
    if (kind == "H2")
      {
        // K + c W, c = 1/(2 l^2): P = alpha l^2 (K + cW) W^-1 (K + cW).
        if (lumped_weights.size() == 0)
          setup_laplacian();
        assemble_matrix(1., 0., preconditioner_matrix);
        const double c = 0.5 / (length * length);
        for (const auto i : lumped_weights.locally_owned_elements())
          preconditioner_matrix.add(i, i, c * lumped_weights[i]);
        preconditioner_matrix.compress(VectorOperation::add);
      }
    else
      assemble_matrix(a, b, preconditioner_matrix);

    const auto &fe = dof_handler->get_fe();
    TrilinosWrappers::PreconditionAMG::AdditionalData data;
    data.elliptic              = true;
    data.higher_order_elements = (fe.degree > 1);
    preconditioner_amg = std::make_unique<TrilinosWrappers::PreconditionAMG>();
    preconditioner_amg->initialize(preconditioner_matrix, data);
    preconditioner_alpha = alpha;
  }



  template <int dim>
  void
  Regularization<dim>::assemble_matrix(const double      a,
                                       const double      b,
                                       LA::SparseMatrix &matrix) const
  {
    const auto &       fe = dof_handler->get_fe();
    const QGauss<dim>  quadrature(fe.degree + 1);
    FEValues<dim>      fe_values(fe,
                            quadrature,
                            update_values | update_gradients |
                              update_JxW_values);
    const unsigned int n = fe.n_dofs_per_cell();
    FullMatrix<double> cell_matrix(n, n);
    std::vector<types::global_dof_index> dof_indices(n);
    for (const auto &cell : dof_handler->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          cell_matrix = 0.;
          for (unsigned int q = 0; q < quadrature.size(); ++q)
            for (unsigned int i = 0; i < n; ++i)
              for (unsigned int j = 0; j < n; ++j)
                cell_matrix(i, j) +=
                  (a * (fe_values.shape_grad(i, q) * fe_values.shape_grad(j, q)) +
                   b * fe_values.shape_value(i, q) * fe_values.shape_value(j, q)) *
                  fe_values.JxW(q);
          cell->get_dof_indices(dof_indices);
          constraints->distribute_local_to_global(cell_matrix,
                                                  dof_indices,
                                                  matrix);
        }
    matrix.compress(VectorOperation::add);
  }



  template <int dim>
  void
  Regularization<dim>::apply_preconditioner_inverse(const LA::Vector &direction,
                                                    LA::Vector &result) const
  {
    // "H2"'s matrix K + cW does not depend on alpha.
    if (!preconditioner_amg || (kind != "H2" && preconditioner_alpha != alpha))
      setup_preconditioner();
    if (kind != "H2")
      {
        solve_preconditioner_matrix(direction, result);
        return;
      }
    // P^-1 = (K + cW)^-1 W (K + cW)^-1 / (alpha l^2).
    LA::Vector intermediate(direction);
    solve_preconditioner_matrix(direction, intermediate);
    intermediate.scale(lumped_weights);
    solve_preconditioner_matrix(intermediate, result);
    result *= 1. / (std::max(alpha, 1e-300) * length * length);
  }



  template <int dim>
  void
  Regularization<dim>::solve_preconditioner_matrix(const LA::Vector &b,
                                                   LA::Vector &      x) const
  {
    x = 0.;
    const double norm = b.l2_norm();
    if (norm == 0.)
      return;
    SolverControl        control(1000, 1e-10 * norm);
    SolverCG<LA::Vector> cg(control);
    cg.solve(preconditioner_matrix, x, b, *preconditioner_amg);
  }



  template <int dim>
  const std::string &
  Regularization<dim>::type() const
  {
    return kind;
  }



  template <int dim>
  double
  Regularization<dim>::weight() const
  {
    return alpha;
  }



  template <int dim>
  void
  Regularization<dim>::set_weight(const double weight)
  {
    AssertThrow(weight >= 0., ExcMessage("A regularization weight is >= 0."));
    alpha = weight;
  }



  template class Regularization<1>;
  template class Regularization<2>;
  template class Regularization<3>;
  template <int dim>
  LA::Vector
  lumped_mass(const DoFHandler<dim> &dof_handler,
              const AffineConstraints<double> &constraints)
  {
    const MPI_Comm communicator =
      dof_handler.get_triangulation().get_communicator();
    LA::Vector weights(dof_handler.locally_owned_dofs(), communicator);
    const auto &       fe = dof_handler.get_fe();
    const QGauss<dim>  quadrature(fe.degree + 1);
    FEValues<dim>      fe_values(fe, quadrature, update_values | update_JxW_values);
    const unsigned int n = fe.n_dofs_per_cell();
    Vector<double>     cell_weights(n);
    std::vector<types::global_dof_index> dof_indices(n);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          cell_weights = 0.;
          for (unsigned int q = 0; q < quadrature.size(); ++q)
            for (unsigned int i = 0; i < n; ++i)
              cell_weights(i) += fe_values.shape_value(i, q) * fe_values.JxW(q);
          cell->get_dof_indices(dof_indices);
          constraints.distribute_local_to_global(cell_weights,
                                                 dof_indices,
                                                 weights);
        }
    weights.compress(VectorOperation::add);
    double       sum = 0.;
    unsigned int n_free = 0;
    for (const auto i : weights.locally_owned_elements())
      if (!constraints.is_constrained(i))
        {
          AssertThrow(weights[i] > 0.,
                      ExcMessage("The lumped mass matrix of the parameter "
                                 "space has a weight <= 0; use the Euclidean "
                                 "inner product with this element."));
          sum += weights[i];
          ++n_free;
        }
    const double mean = Utilities::MPI::sum(sum, communicator) /
                        std::max(1u, Utilities::MPI::sum(n_free, communicator));
    for (const auto i : weights.locally_owned_elements())
      if (constraints.is_constrained(i))
        weights[i] = mean;
    weights.compress(VectorOperation::insert);
    return weights;
  }



  template LA::Vector
  lumped_mass<1>(const DoFHandler<1> &, const AffineConstraints<double> &);
  template LA::Vector
  lumped_mass<2>(const DoFHandler<2> &, const AffineConstraints<double> &);
  template LA::Vector
  lumped_mass<3>(const DoFHandler<3> &, const AffineConstraints<double> &);
} // namespace mollifem
